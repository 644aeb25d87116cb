--[[
  Claims due runs for one worker. First takes up to ARGV[5] timers due by now out of the timer queue:
  - a run waiting on a delay that was its last step (cursor "") has nothing left to execute, so it completes right
    here (completedAt = now, status index entry moved, queued for the history write) without a worker round trip;
  - any other live run moves to the ready queue, keeping its due time as score so the longest-waiting run goes
    first; ids whose hash is gone or whose status is terminal are dropped.
  Then it pops up to max ready runs, oldest first. Each claimed run gets a new fencing token, status running (status
  index entry moved), currentStepId = cursor and a lease; a run that waited on a delay has it appended to its
  timeline, and a pending or waking run's step starts its clock (stepAt). Every run completed or claimed here
  publishes its change (runChanged). Ready ids whose run is gone or terminal (cancelled or dropped while queued)
  are popped and skipped.

  KEYS[1] ready zset       {p}:ready      (runId -> enqueue ms)
  KEYS[2] timers zset      {p}:timers     (runId -> due ms)
  KEYS[3] leases zset      {p}:leases     (runId -> lease expiry ms)
  KEYS[4] unarchived list  {p}:unarchived (run ids, oldest first)

  ARGV[1] key prefix "{p}:" (run hashes and status indexes are derived from it; same hash tag, so same slot)
  ARGV[2] now, epoch ms
  ARGV[3] max runs to claim
  ARGV[4] lease duration ms
  ARGV[5] max timers taken per call (at most 3000: ids and scores reach one ZADD through unpack, whose limit is 8000)

  Returns {claimed, completedDueTimes, timersTaken, nextTimerDue}:
    claimed            per claimed run, the flat HGETALL array of its hash after the claim (its field dueAt is the
                       score it had in the ready queue, when it fell due; 0 for a run claimed as created)
    completedDueTimes  the due time (ms) of every run completed on waking
    timersTaken        how many timers this call took (ARGV[5] means more may be due)
    nextTimerDue       the due time (ms) of the earliest timer left in this partition; '' when none is left
]]
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])

local function isLive(status)
  return status == 'pending' or status == 'waiting' or status == 'running'
end

local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[5]))
local taken = #due / 2
local completed = {}
if taken > 0 then
  -- the due ids are the lowest-ranked members, so one rank range removes exactly them
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, taken - 1)
  local ready, finished, moves = {}, {}, {}
  for i = 1, #due, 2 do
    local id, dueAt = due[i], due[i + 1]
    local run = prefix .. KEY_RUN .. id
    local f = redis.call('HMGET', run, 'status', 'cursor', 'workspace', 'orchestrationId', 'startedAt',
      'currentStepId')
    if f[1] == 'waiting' and f[2] == '' then
      stepDone(run, f[6], ARGV[2], 'w')
      redis.call('HSET', run, 'status', 'completed', 'completedAt', ARGV[2], 'currentStepId', '')
      runChanged(run, id, f[3], f[4])
      -- the run's status index entry moves to the completed band (BAND_COMPLETED), see LuaPrelude.java
      local index = prefix .. KEY_INDEX .. f[3] .. ':' .. f[4] .. KEY_STATUS_INDEX
      local move = moves[index]
      if not move then
        move = {}
        moves[index] = move
      end
      move[#move + 1] = string.format('%.0f', BAND_COMPLETED + f[5])
      move[#move + 1] = id
      finished[#finished + 1] = id
      completed[#completed + 1] = dueAt
    elseif isLive(f[1]) then
      ready[#ready + 1] = dueAt
      ready[#ready + 1] = id
    end
  end
  -- one command per index and queue rather than per run: a burst of wake-ups costs Redis far fewer calls
  for index, move in pairs(moves) do
    redis.call('ZADD', index, unpack(move))
  end
  if #finished > 0 then
    redis.call('RPUSH', KEYS[4], unpack(finished))
  end
  if #ready > 0 then
    redis.call('ZADD', KEYS[1], unpack(ready))
  end
end

local claimed = {}
while #claimed < max do
  local popped = redis.call('ZPOPMIN', KEYS[1], max - #claimed)
  if #popped == 0 then
    break
  end
  for i = 1, #popped, 2 do
    local id = popped[i]
    local run = prefix .. KEY_RUN .. id
    local f = redis.call('HMGET', run, 'status', 'workspace', 'orchestrationId', 'startedAt', 'cursor',
      'currentStepId')
    local status = f[1]
    if isLive(status) then
      if status ~= 'running' then
        -- status index: to the running band (BAND_RUNNING), see LuaPrelude.java
        local index = prefix .. KEY_INDEX .. f[2] .. ':' .. f[3] .. KEY_STATUS_INDEX
        redis.call('ZADD', index, string.format('%.0f', BAND_RUNNING + f[4]), id)
      end
      -- a run claimed as created never waited in the timer queue: it has no wake-up to be late for (dueAt 0)
      local created = status == 'pending' and tonumber(popped[i + 1]) == tonumber(f[4])
      redis.call('HINCRBY', run, 'fence', 1)
      if status == 'waiting' then
        stepDone(run, f[6], ARGV[2], 'w')
      elseif status == 'pending' then
        redis.call('HSET', run, 'stepAt', ARGV[2])
      end
      redis.call('HSET', run, 'status', 'running', 'currentStepId', f[5], 'dueAt', created and 0 or popped[i + 1])
      redis.call('ZADD', KEYS[3], now + leaseMs, id)
      runChanged(run, id, f[2], f[3])
      claimed[#claimed + 1] = redis.call('HGETALL', run)
    end
  end
end
local nextTimer = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
return {claimed, completed, taken, nextTimer[2] or ''}
