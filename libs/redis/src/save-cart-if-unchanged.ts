/**
 * Compare-and-set for one cart, atomic because Redis runs a script without interleaving.
 *
 * KEYS[1] the cart key; ARGV[1] the version the writer loaded (0: create only if absent);
 * ARGV[2] this save's write id; ARGV[3] the new stored JSON (version ARGV[1]+1, the write id,
 * the cart); ARGV[4] the TTL in seconds. Returns 1 when stored, 0 on a conflict.
 *
 * Why the write id: ioredis resends a command whose reply was lost to a dropped connection.
 * If the first send had already been applied, the resend would see its own write as a
 * newer version and report a conflict; matching the write id makes the resend a no-op success.
 *
 * The script only reads the stored JSON (cjson.decode) and writes the client's bytes as they
 * are: cjson.encode would turn an empty `lines: []` into `{}`.
 */
export const SAVE_CART_IF_UNCHANGED = `
local current = redis.call('GET', KEYS[1])
local expected = tonumber(ARGV[1])
if current then
  local stored = cjson.decode(current)
  if stored.writeId == ARGV[2] then return 1 end
  if tonumber(stored.version) ~= expected then return 0 end
elseif expected ~= 0 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
return 1
`;
