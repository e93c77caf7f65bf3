import { LuaScript } from './lua-script';

// Lua run atomically on a Redis node. Per lock name (keys built in lock-keys.ts): the lock, its
// fence counter (never expires) and the FIFO queue of waiters (list + zset of liveness
// deadlines). A name's keys share one hash tag, so a script over one name stays in one Cluster
// slot; RELEASE and LEAVE derive the queue keys from the lock key for that reason.
//
// The lock's value says who has it and whether anyone waits, so that the uncontended acquire and
// release stay at three and two calls (most of what a lock costs is the script calls themselves):
//   <owner>          held, nobody known to wait
//   <owner>*         held, someone waits: its release hands the lock to the next live queued
//                    waiter (as <waiter>, with a new fence) instead of freeing it, so a newcomer
//                    cannot barge in, and announces it
//   ><waiter>        reserved for the queue's head, when handing it over outright would leave
//                    the waiter too little lease (see HANDOVER); ends with its liveness deadline.
//                    A waiter blocked by it marks it (*), and the mark passes to the holder.
// A waiter marks what blocks it each time it tries, so a mark is never older than one poll.

/**
 * Hands a released (or given-up) lock to the next live queued waiter, or frees it, and announces
 * it as "<lock key>\\n<waiter>\\n<fence>" (granted) or "<lock key>\\n<waiter>" (reserved) on the
 * waiter's process's own channel, or "<lock key>\\n" (free) on the channel all processes hear.
 * A queue entry is "<waiter>|<lease ms>|<liveness ms>", its score the waiter's liveness
 * deadline, so the time since its last request is known here.
 */
const HANDOVER = `
local function handover(lock, channel)
  local q, qt = lock .. ':q', lock .. ':qt'
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  while true do
    local head = redis.call('LINDEX', q, 0)
    if not head then break end
    local deadline = tonumber(redis.call('ZSCORE', qt, head) or '0')
    local w, lease, live = string.match(head, '^(.*)|(%d+)|(%d+)$')
    if deadline > now and w then
      lease, live = tonumber(lease), tonumber(live)
      -- only the waiter's own process hears of it: "<channel>:<process tag>", the tag being
      -- the waiter id up to its last dot
      local inbox = channel .. ':' .. (string.match(w, '^(.*)%.') or '')
      -- the waiter counts a lease handed to it from its last request: grant it straight away
      -- (no second round trip) while that request is less than half a lease old
      if now - (deadline - live) < lease / 2 then
        redis.call('LPOP', q)
        redis.call('ZREM', qt, head)
        local fence = redis.call('INCR', lock .. ':fence')
        redis.call('SET', lock, redis.call('EXISTS', q) == 1 and w .. '*' or w, 'PX', lease)
        redis.call('PUBLISH', inbox, lock .. '\\n' .. w .. '\\n' .. fence)
        return
      end
      redis.call('SET', lock, '>' .. w, 'PX', deadline - now)
      redis.call('PUBLISH', inbox, lock .. '\\n' .. w)
      return
    end
    -- its process stopped retrying: drop it
    redis.call('LPOP', q)
    redis.call('ZREM', qt, head)
  end
  redis.call('DEL', lock)
  redis.call('PUBLISH', channel, lock .. '\\n')
end
`;

/**
 * ACQUIRE_FREE, the uncontended first attempt at one name: the two calls a fenced lock needs,
 * after a look at the queue. A newcomer never takes a lock while waiters are queued for it (its
 * lease may have run out without a release, so the lock is free and nobody was told): ACQUIRE,
 * which drops waiters that stopped polling, decides then.
 * KEYS: lock, fence, queue; ARGV: owner token, lease ms. Returns the fence when granted, 0 when
 * the lock is held or reserved (ACQUIRE then queues the caller, or 'try' reports busy), -1 when
 * it is free but waiters are queued (ACQUIRE then decides, for 'try' too).
 */
export const ACQUIRE_FREE_SCRIPT = `
if redis.call('EXISTS', KEYS[3]) == 1 then return redis.call('EXISTS', KEYS[1]) == 1 and 0 or -1 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
return 0
`;

/**
 * ACQUIRE, for one or more names (4 keys each: lock, fence, queue, queue timeouts), all or nothing.
 * ARGV[1] owner token, ARGV[2] lease ms, ARGV[3] waiter id to queue as ('' = do not queue),
 * ARGV[4] waiter liveness ms (a queued waiter that has not retried within it is dropped),
 * ARGV[5] '1' = honour the queue (a free lock with others queued ahead is busy),
 * ARGV[6] '1' = the caller will wait: when busy, mark the lock so its release is announced,
 * ARGV[7] '1' = the waiter may be queued already (leave the queue when granted).
 * Returns {1, fence...} when granted, {2, fence} when a release handed it to this waiter before
 * this request arrived, else {0, ms until the longest blocking lease ends (-1 unknown), and for a
 * queued waiter the name's fence counter}.
 */
export const ACQUIRE_SCRIPT = `
local n = #KEYS / 4
local owner, waiter = ARGV[1], ARGV[3]
local fair = waiter ~= ''
local entry = fair and (waiter .. '|' .. ARGV[2] .. '|' .. ARGV[4]) or ''
local honour = fair or ARGV[5] == '1'
local now = nil
local function clock()
  if not now then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end
local function take(i, marked)
  local lock, q, qt = KEYS[i * 4 + 1], KEYS[i * 4 + 3], KEYS[i * 4 + 4]
  if fair and ARGV[7] == '1' then
    redis.call('LREM', q, 1, entry)
    redis.call('ZREM', qt, entry)
  end
  -- waiters still queued behind: this holder's release must be announced
  if marked or redis.call('EXISTS', q) == 1 then
    redis.call('SET', lock, owner .. '*', 'PX', ARGV[2])
  else
    redis.call('SET', lock, owner, 'PX', ARGV[2])
  end
  return redis.call('INCR', KEYS[i * 4 + 2])
end
-- one name, free with nobody queued ahead, or reserved for this waiter, or handed to it
-- already (while this request was on its way: {2, fence})
if n == 1 then
  local v = redis.call('GET', KEYS[1])
  if fair and v then
    if v == '>' .. waiter then return {1, take(0, false)} end
    if v == '>' .. waiter .. '*' then return {1, take(0, true)} end
    if v == owner or v == owner .. '*' then return {2, tonumber(redis.call('GET', KEYS[2]))} end
  end
  if not v then
    local head = honour and redis.call('LINDEX', KEYS[3], 0)
    if not head or head == entry then return {1, take(0, false)} end
  end
end
local blocked, wait = false, -1
for i = 0, n - 1 do
  local lock, q, qt = KEYS[i * 4 + 1], KEYS[i * 4 + 3], KEYS[i * 4 + 4]
  local v = redis.call('GET', lock)
  if v then
    blocked = true
    local ttl = redis.call('PTTL', lock)
    if ttl > wait then wait = ttl end
    if ARGV[6] == '1' and string.sub(v, -1) ~= '*' then redis.call('APPEND', lock, '*') end
  elseif honour then
    -- drop waiters at the head that stopped retrying (their process died), then honour the queue
    while true do
      local head = redis.call('LINDEX', q, 0)
      if not head or head == entry then break end
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
  if fair then
    local live = tonumber(ARGV[4])
    for i = 0, n - 1 do
      local q, qt = KEYS[i * 4 + 3], KEYS[i * 4 + 4]
      if redis.call('ZADD', qt, clock() + live, entry) == 1 then redis.call('RPUSH', q, entry) end
      -- only ever lengthened: waiters' liveness differs with their lease, and a short one's
      -- must not expire the queue under a longer one
      for _, k in ipairs({q, qt}) do
        if redis.call('PTTL', k) < live * 2 then redis.call('PEXPIRE', k, live * 2) end
      end
    end
    -- the fence so far: a grant announced later with a larger one was made after this request
    return {0, wait, tonumber(redis.call('GET', KEYS[2]) or '0')}
  end
  return {0, wait}
end
local out = {1}
for i = 0, n - 1 do out[i + 2] = take(i, false) end
return out
`;

/**
 * RELEASE: frees each lock still owned by ARGV[1]; one someone waits for goes through HANDOVER
 * (ARGV[2] the channel all processes hear). KEYS: the locks. Returns how many were owned.
 */
export const RELEASE_SCRIPT = `${HANDOVER}
local released = 0
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v == ARGV[1] then
    redis.call('DEL', KEYS[i])
    released = released + 1
  elseif v == ARGV[1] .. '*' then
    handover(KEYS[i], ARGV[2])
    released = released + 1
  end
end
return released
`;

/** EXTEND: resets the lease of every lock owned by ARGV[1] to ARGV[2] ms; returns how many. */
export const EXTEND_SCRIPT = `
local owned = 0
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v == ARGV[1] or v == ARGV[1] .. '*' then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    owned = owned + 1
  end
end
return owned
`;

/**
 * LEAVE: a waiter that gives up leaves the queues and passes on a lock reserved or handed to it.
 * KEYS: lock, queue, timeouts per name; ARGV[1] waiter, ARGV[2] channel.
 */
export const LEAVE_SCRIPT = `${HANDOVER}
local w = ARGV[1]
for i = 0, #KEYS / 3 - 1 do
  local lock, q, qt = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  for _, e in ipairs(redis.call('LRANGE', q, 0, -1)) do
    if string.sub(e, 1, #w + 1) == w .. '|' then
      redis.call('LREM', q, 1, e)
      redis.call('ZREM', qt, e)
    end
  end
  local v = redis.call('GET', lock)
  if v == '>' .. w or v == '>' .. w .. '*' or v == w or v == w .. '*' then handover(lock, ARGV[2]) end
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
