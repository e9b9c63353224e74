/**
 * Compare-and-set for one SKU's level hash, atomic because Redis runs a script without
 * interleaving (two cart instances may consume the topic, or one redelivers after a rebalance).
 *
 * KEYS[1] the SKU's hash; ARGV[1] the message's order (occurredAt in epoch ms), then
 * available, onHand, reserved, status, messageId, and the listing's name and unitPrice ('' when
 * the SKU is not listed: the fields are then removed, as the message is the SKU's whole state).
 * Returns 1 when written, 0 when ignored.
 *
 * Equal times are written, not ignored: inventory group-commits many commands for a hot SKU
 * in one append, so several real changes can share a millisecond, and per-key order on the
 * topic delivers them in the order they happened. The cost is that a redelivered message of
 * the same millisecond can briefly win; the next change of that SKU corrects it.
 */
export const SET_STOCK_LEVEL_IF_NEWER = `
local stored = redis.call('HGET', KEYS[1], 'order')
if stored and tonumber(stored) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'order', ARGV[1], 'available', ARGV[2], 'onHand', ARGV[3], 'reserved', ARGV[4], 'status', ARGV[5], 'messageId', ARGV[6])
if ARGV[8] == '' then
  redis.call('HDEL', KEYS[1], 'name', 'unitPrice')
else
  redis.call('HSET', KEYS[1], 'name', ARGV[7], 'unitPrice', ARGV[8])
end
return 1
`;
