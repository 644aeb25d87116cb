--[[
  Confirms the history write of finished runs: each id still in the finished queue moves to the expiry queue, to be
  dropped from Redis once the retention ends. Ids not in the finished queue (another instance confirmed them
  first, or they never finished) are left alone, so nothing unpersisted is ever scheduled for deletion.

  KEYS[1] finished zset  {p}:finished (runId -> finished ms)
  KEYS[2] expiry zset    {p}:expiry   (runId -> ms when the Redis copy may be dropped)

  ARGV[1] expiry time, epoch ms (now + retention)
  ARGV[2..] run ids

  Returns the number of runs moved.
]]
local moved = 0
for i = 2, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[1], ARGV[i])
    moved = moved + 1
  end
end
return moved
