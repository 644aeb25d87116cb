--[[
  Hands up to max tasks of one queue to a polling worker, oldest first. Each gets a new lease generation (part of
  the task id the worker sees, so a completion under an older lease is recognisably stale) and a lease until
  now + leaseMs. Tasks whose hash is gone (abandoned on timeout) are popped and skipped; tasks whose run no longer
  waits for them (cancelled) are deleted.

  KEYS[1] queue zset        {p}:tq:<workspace>:<queue>
  KEYS[2] task leases zset  {p}:tleases   ("<taskId>" -> lease expiry ms)

  ARGV[1] key prefix "{p}:" (task hashes are derived from it)
  ARGV[2] now, epoch ms
  ARGV[3] max tasks
  ARGV[4] lease duration ms

  Returns an array with, per task, {lease generation, flat HGETALL of the task hash}.
]]
local now = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local claimed = {}
while #claimed < max do
  local popped = redis.call('ZPOPMIN', KEYS[1], max - #claimed)
  if #popped == 0 then
    break
  end
  for i = 1, #popped, 2 do
    local task = ARGV[1] .. KEY_TASK .. popped[i]
    local runId = redis.call('HGET', task, 'runId')
    local waiting = false
    if runId then
      local r = redis.call('HMGET', ARGV[1] .. KEY_RUN .. runId, 'task', 'status')
      waiting = r[1] == popped[i] and r[2] == 'running'
    end
    if runId and not waiting then
      redis.call('DEL', task)
    elseif waiting then
      local generation = redis.call('HINCRBY', task, 'lease', 1)
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), popped[i])
      claimed[#claimed + 1] = {generation, redis.call('HGETALL', task)}
    end
  end
end
return claimed
