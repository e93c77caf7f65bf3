// Integration and e2e tests talk to real servers and start processes: give them room.
jest.setTimeout(120_000);
process.env.LOG_LEVEL ??= 'warn'; // quiet apps under test unless a test asks for more
