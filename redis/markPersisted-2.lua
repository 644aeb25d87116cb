--[[
  Confirms the history write of a batch the archiver read from the head of the unarchived queue: the head entries
  that are in the batch leave the queue for the expiry queue, to be dropped from Redis once the retention ends. It
  stops at the first head entry that is not in the batch, so nothing unpersisted is ever scheduled for deletion.
  When another instance confirmed the same runs first, the head has moved on: only what is still there is taken.
  A head entry whose run hash is gone has nothing to keep and leaves the queue too, so it cannot block it.

  KEYS[1] unarchived list  {p}:unarchived (run ids, oldest first)
  KEYS[2] expiry zset      {p}:expiry     (runId -> ms when the Redis copy may be dropped)

  ARGV[1] key prefix "{p}:" (run hashes are derived from it)
  ARGV[2] expiry time, epoch ms (now + retention)
  ARGV[3..] ids of the runs written to the history, in the order the batch was read

  Returns the number of runs moved to the expiry queue.
]]
local persisted = {}
for i = 3, #ARGV do
  persisted[ARGV[i]] = true
end
local head = redis.call('LRANGE', KEYS[1], 0, #ARGV - 3)
local expiring, taken = {}, 0
for _, id in ipairs(head) do
  if persisted[id] then
    expiring[#expiring + 1] = ARGV[2]
    expiring[#expiring + 1] = id
  elseif redis.call('EXISTS', ARGV[1] .. KEY_RUN .. id) == 1 then
    break
  end
  taken = taken + 1
end
if taken > 0 then
  redis.call('LTRIM', KEYS[1], taken, -1)
end
-- unpack passes at most 8,000 values: add the expiry entries in slices of 1,000 runs
for first = 1, #expiring, 2000 do
  redis.call('ZADD', KEYS[2], unpack(expiring, first, math.min(first + 1999, #expiring)))
end
return #expiring / 2
