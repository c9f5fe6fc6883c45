/**
 * Lua scripts that change a progress record: each one changes the hash, bumps `seq` and publishes the
 * whole record in one atomic step, so the order of published events is the order of `seq` and no
 * reader ever sees a half-made change. Times come from the Redis server's clock (one clock for all hosts).
 */

const prelude = `
local key = KEYS[1]
local channel = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function terminal(s) return s == 'completed' or s == 'failed' or s == 'cancelled' end
local function publish(kind, extra)
  redis.call('HSET', key, 'event_at', now)
  local flat = redis.call('HGETALL', key)
  local fields = {}
  for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
  local payload = '{"kind":"' .. kind .. '","fields":' .. cjson.encode(fields)
  if extra and extra ~= '' then payload = payload .. ',"summary":' .. extra end
  redis.call('PUBLISH', channel, payload .. '}')
end
`;

/** ARGV: channel, ttlSeconds, then field/value pairs. Creates the record (seq 1, queued) and publishes it. */
export const CREATE = `${prelude}
if redis.call('EXISTS', key) == 1 then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
redis.call('HSET', key, 'status', 'queued', 'current', 0, 'seq', 1, 'stalled', 0,
  'created_at', now, 'updated_at', now, 'heartbeat_at', '')
redis.call('EXPIRE', key, tonumber(ARGV[2]))
publish('progress')
return 1`;

/**
 * ARGV: channel, chunk index, trials done in the chunk, chunk status ('' to keep). Returns -1 when the
 * run is over (cancelled, failed) or gone: the chunk should stop.
 * A chunk's count never goes down (a retried chunk redoes trials it had already counted), so neither
 * does the parent's, which is the sum of its chunks.
 */
export const CHUNK_PROGRESS = `${prelude}
local status = redis.call('HGET', key, 'status')
if not status or terminal(status) then return -1 end
local idx = ARGV[2]
local done = tonumber(ARGV[3])
local childStatus = ARGV[4]
local changed = false
local old = tonumber(redis.call('HGET', key, 'c:' .. idx .. ':done') or '0')
if done > old then
  redis.call('HSET', key, 'c:' .. idx .. ':done', done)
  redis.call('HINCRBY', key, 'current', done - old)
  changed = true
end
local cs = redis.call('HGET', key, 'c:' .. idx .. ':status')
local wanted = childStatus ~= '' and childStatus or (cs == 'queued' and 'running' or cs)
if wanted ~= cs then redis.call('HSET', key, 'c:' .. idx .. ':status', wanted); changed = true end
if status == 'queued' then redis.call('HSET', key, 'status', 'running'); changed = true end
if redis.call('HGET', key, 'stalled') == '1' then changed = true end
if redis.call('HDEL', key, 'waiting_for') == 1 then changed = true end
redis.call('HSET', key, 'heartbeat_at', now, 'stalled', 0)
if not changed then return 0 end
redis.call('HSET', key, 'updated_at', now)
redis.call('HINCRBY', key, 'seq', 1)
publish('progress')
return 1`;

/** ARGV: channel, minimum gap in ms. A heartbeat event unless another event went out within the gap. */
export const HEARTBEAT = `${prelude}
local status = redis.call('HGET', key, 'status')
if status ~= 'running' then return 0 end
local wasStalled = redis.call('HGET', key, 'stalled') == '1'
-- The work reports again: whatever the run was waiting for has come.
local wasWaiting = redis.call('HDEL', key, 'waiting_for') == 1
redis.call('HSET', key, 'heartbeat_at', now, 'stalled', 0)
local last = tonumber(redis.call('HGET', key, 'event_at') or '0')
if not wasStalled and not wasWaiting and now - last < tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', key, 'seq', 1)
publish((wasStalled or wasWaiting) and 'progress' or 'heartbeat')
return 1`;

/**
 * The API's side of "at least one event a second while a run is live", whatever the workers do.
 * ARGV: channel, minimum gap in ms, quiet ms (work silent this long: say what the run waits for),
 * stall ms. Publishes a heartbeat when no event went out within the gap (without touching
 * `heartbeat_at`, the work's own sign of life), and a progress event when `waiting_for` or `stalled`
 * changes. Returns -2 when the record is gone (the store was reset or the run deleted), -1 when the
 * run is over, 1 when it published, 0 otherwise.
 */
export const KEEP_ALIVE = `${prelude}
local status = redis.call('HGET', key, 'status')
if not status then return -2 end
if status ~= 'queued' and status ~= 'running' then return -1 end
local beat = tonumber(redis.call('HGET', key, 'heartbeat_at')) or tonumber(redis.call('HGET', key, 'updated_at'))
local silent = now - beat
local reason = ''
if silent >= tonumber(ARGV[3]) then
  if status == 'queued' then
    reason = 'waiting for a worker to take the run'
  elseif redis.call('HGET', key, 'current') == redis.call('HGET', key, 'total') then
    reason = 'waiting for the results to be assembled'
  else
    -- A chunk shown running while no work reports was taken by a worker that went silent.
    reason = 'waiting for a free worker'
    local n = tonumber(redis.call('HGET', key, 'chunks') or '0')
    for i = 0, n - 1 do
      if redis.call('HGET', key, 'c:' .. i .. ':status') == 'running' then
        reason = 'waiting for a chunk to be retried'
        break
      end
    end
  end
end
local changed = false
if (redis.call('HGET', key, 'waiting_for') or '') ~= reason then
  if reason == '' then redis.call('HDEL', key, 'waiting_for') else redis.call('HSET', key, 'waiting_for', reason) end
  changed = true
end
if status == 'running' and silent >= tonumber(ARGV[4]) and redis.call('HGET', key, 'stalled') ~= '1' then
  redis.call('HSET', key, 'stalled', 1)
  changed = true
end
local last = tonumber(redis.call('HGET', key, 'event_at') or '0')
if not changed and now - last < tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', key, 'seq', 1)
if changed then
  redis.call('HSET', key, 'updated_at', now)
  publish('progress')
else
  publish('heartbeat')
end
return 1`;

/**
 * ARGV: channel, final status, error JSON ('' for none), summary JSON ('' for none), ttlSeconds, then
 * field/value pairs to set. Returns 0 when the record is already final, -1 when 'completed' is asked
 * for a run that did not compute every trial (the caller must fail it instead), 1 when done.
 */
export const FINISH = `${prelude}
local status = redis.call('HGET', key, 'status')
if not status or terminal(status) then return 0 end
local final = ARGV[2]
if final == 'completed' and redis.call('HGET', key, 'current') ~= redis.call('HGET', key, 'total') then
  return -1
end
for i = 6, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
redis.call('HSET', key, 'status', final, 'stalled', 0, 'updated_at', now)
redis.call('HDEL', key, 'waiting_for')
if ARGV[3] ~= '' then redis.call('HSET', key, 'error', ARGV[3]) end
local n = tonumber(redis.call('HGET', key, 'chunks') or '0')
for i = 0, n - 1 do
  local cs = redis.call('HGET', key, 'c:' .. i .. ':status')
  if not terminal(cs) then
    redis.call('HSET', key, 'c:' .. i .. ':status', final == 'completed' and 'completed' or final)
  end
end
redis.call('HINCRBY', key, 'seq', 1)
redis.call('EXPIRE', key, tonumber(ARGV[5]))
publish(final, ARGV[4])
return 1`;
