import { LuaScript } from './lua-script';

// Lua run atomically on a Redis node. Per lock name (keys built in lock-keys.ts): the lock
// (value = owner token, PX = lease), its fence counter (never expires), the FIFO queue of waiters
// (list + zset of liveness deadlines) and a "someone waits" mark. A name's keys share one hash
// tag, so a script over one name stays in one Cluster slot.

/**
 * ACQUIRE_FREE, the uncontended first attempt at one name, kept lean (three calls, few arguments)
 * because it is most of what a lock costs. KEYS: lock, fence, queue; ARGV: owner token, lease ms.
 * Returns the fence when granted, 0 when the lock is held, -1 when waiters are queued (ACQUIRE
 * then decides, honouring the queue).
 */
export const ACQUIRE_FREE_SCRIPT = `
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
return 0
`;

/**
 * ACQUIRE, for one or more names (5 keys each: lock, fence, queue, queue timeouts, waiting mark),
 * all or nothing.
 * ARGV[1] owner token, ARGV[2] lease ms, ARGV[3] waiter id to queue as ('' = do not queue),
 * ARGV[4] waiter liveness ms (a queued waiter that has not retried within it is dropped),
 * ARGV[5] '1' = honour the queue (a free lock with others queued ahead is busy),
 * ARGV[6] '1' = the caller will wait: when busy, mark the name so releases are announced,
 * ARGV[7] '1' = the waiter may be queued already (leave the queue when granted).
 * Returns {1, fence...} when granted, else {0, ms until the longest blocking lease ends (-1 unknown)}.
 */
export const ACQUIRE_SCRIPT = `
local n = #KEYS / 5
local owner, waiter = ARGV[1], ARGV[3]
local fair = waiter ~= ''
local honour = fair or ARGV[5] == '1'
local now = nil
local function clock()
  if not now then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end
-- one free name and nobody queued ahead: the common case, in three calls
if n == 1 then
  local head = honour and redis.call('LINDEX', KEYS[3], 0)
  if (not head or head == waiter) and redis.call('SET', KEYS[1], owner, 'NX', 'PX', ARGV[2]) then
    local fence = redis.call('INCR', KEYS[2])
    if fair and ARGV[7] == '1' then
      redis.call('LREM', KEYS[3], 1, waiter)
      redis.call('ZREM', KEYS[4], waiter)
    end
    return {1, fence}
  end
end
local blocked, wait = false, -1
for i = 0, n - 1 do
  local lock, q, qt = KEYS[i * 5 + 1], KEYS[i * 5 + 3], KEYS[i * 5 + 4]
  if redis.call('EXISTS', lock) == 1 then
    blocked = true
    local ttl = redis.call('PTTL', lock)
    if ttl > wait then wait = ttl end
  elseif honour then
    -- drop waiters at the head that stopped retrying (their process died), then honour the queue
    while true do
      local head = redis.call('LINDEX', q, 0)
      if not head or head == waiter then break end
      local deadline = redis.call('ZSCORE', qt, head)
      if deadline and tonumber(deadline) > clock() then
        blocked = true
        break
      end
      redis.call('LPOP', q)
      redis.call('ZREM', qt, head)
    end
  end
end
if blocked then
  local live = tonumber(ARGV[4])
  for i = 0, n - 1 do
    if fair then
      local q, qt = KEYS[i * 5 + 3], KEYS[i * 5 + 4]
      if redis.call('ZADD', qt, clock() + live, waiter) == 1 then redis.call('RPUSH', q, waiter) end
      redis.call('PEXPIRE', q, live * 2)
      redis.call('PEXPIRE', qt, live * 2)
    end
    -- releases are announced only while someone waits: no pub/sub traffic when uncontended
    if ARGV[6] == '1' then redis.call('SET', KEYS[i * 5 + 5], '1', 'PX', live) end
  end
  return {0, wait}
end
local out = {1}
for i = 0, n - 1 do
  redis.call('SET', KEYS[i * 5 + 1], owner, 'PX', ARGV[2])
  out[i + 2] = redis.call('INCR', KEYS[i * 5 + 2])
  if fair and ARGV[7] == '1' then
    redis.call('LREM', KEYS[i * 5 + 3], 1, waiter)
    redis.call('ZREM', KEYS[i * 5 + 4], waiter)
  end
end
return out
`;

/**
 * RELEASE: deletes each lock still owned by ARGV[1] and, when someone waits for it, announces it
 * on channel ARGV[2] with "<name>\\n<next queued waiter or empty>".
 * KEYS: lock, queue, waiting mark per name; ARGV[3..] the names. Returns how many were owned.
 */
export const RELEASE_SCRIPT = `
local released = 0
for i = 0, #KEYS / 3 - 1 do
  local lock, q, mark = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  if redis.call('GET', lock) == ARGV[1] then
    redis.call('DEL', lock)
    released = released + 1
    -- every waiter, queued or not, keeps the mark alive while it waits
    if redis.call('EXISTS', mark) == 1 then
      redis.call('PUBLISH', ARGV[2], ARGV[i + 3] .. '\\n' .. (redis.call('LINDEX', q, 0) or ''))
    end
  end
end
return released
`;

/** EXTEND: resets the lease of every lock owned by ARGV[1] to ARGV[2] ms; returns how many. */
export const EXTEND_SCRIPT = `
local owned = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    owned = owned + 1
  end
end
return owned
`;

/** LEAVE: a waiter that gives up leaves the queues. KEYS: queue, timeouts per name; ARGV[1] waiter. */
export const LEAVE_SCRIPT = `
for i = 0, #KEYS / 2 - 1 do
  redis.call('LREM', KEYS[i * 2 + 1], 1, ARGV[1])
  redis.call('ZREM', KEYS[i * 2 + 2], ARGV[1])
end
return 1
`;

/**
 * RAISE (Redlock): lifts each fence counter in KEYS to at least ARGV[i]. After a grant, the quorum
 * nodes all carry the grant's token, so the next quorum (which overlaps this one) mints a larger one.
 */
export const RAISE_SCRIPT = `
for i = 1, #KEYS do
  local cur = tonumber(redis.call('GET', KEYS[i]) or '0')
  if cur < tonumber(ARGV[i]) then redis.call('SET', KEYS[i], ARGV[i]) end
end
return 1
`;

/** The scripts, each hashed once per process. */
export const LOCK_SCRIPTS = {
  acquireFree: new LuaScript(ACQUIRE_FREE_SCRIPT),
  acquire: new LuaScript(ACQUIRE_SCRIPT),
  release: new LuaScript(RELEASE_SCRIPT),
  extend: new LuaScript(EXTEND_SCRIPT),
  leave: new LuaScript(LEAVE_SCRIPT),
  raise: new LuaScript(RAISE_SCRIPT),
};
