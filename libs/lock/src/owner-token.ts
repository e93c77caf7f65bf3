import { randomBytes } from 'node:crypto';

/** This process's part of every owner token: release announcements for its waiters go to it. */
export const PROCESS_TAG = `${randomBytes(6).toString('hex')}.${process.pid}`;

let seq = 0;

/** A new owner token, "<process tag>.<n>": unique per call to acquire, never reused. */
export function newOwnerToken(): string {
  return `${PROCESS_TAG}.${++seq}`;
}
