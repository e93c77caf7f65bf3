// Integration and e2e tests talk to real servers and start processes: give them room.
jest.setTimeout(120_000);
