import { generateClusterIds } from './kafka-sh.fixture';

/**
 * The cluster id `kafka.sh start` formats the broker's storage with. It used to be plain base64url of
 * 16 random bytes, so one start in 64 got an id beginning with '-', which `kafka-storage format
 * --cluster-id -...` takes for an option ("expected one argument"; storage-format.int.spec.ts shows
 * the format command rejecting such an id). With the old generator, 2,000 ids all avoiding a
 * leading '-' has a probability of (63/64)^2000 ≈ 2e-14, so the first test catches a regression.
 */
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('tools/kafka/kafka.sh: the KRaft cluster id it formats with', () => {
  let ids: string[] = [];
  beforeAll(() => {
    ids = generateClusterIds(2000);
  }, 60_000);

  it("given 2,000 generated cluster ids, then none starts with '-' and each is 22 base64url characters decoding to 16 bytes", () => {
    expect(ids).toHaveLength(2000);
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(ids.filter((id) => !/^[A-Za-z0-9_-]{22}$/.test(id))).toEqual([]);
    // Canonical: decoding gives 16 bytes that encode back to the very same id, as Kafka's Uuid.fromString expects.
    expect(
      ids.filter(
        (id) => Buffer.from(id, 'base64url').length !== 16 || Buffer.from(id, 'base64url').toString('base64url') !== id,
      ),
    ).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("given 2,000 generated cluster ids, then every base64url character but '-' starts some of them: only a leading '-' is redrawn, as in Kafka", () => {
    // Each of the 63 allowed first characters has probability 1/63; one missing from 2,000 ids
    // has a probability below 63 * (62/63)^2000 ≈ 8e-13.
    const firsts = new Set(ids.map((id) => id[0]));
    expect([...BASE64URL_ALPHABET].filter((c) => !firsts.has(c))).toEqual(['-']);
  });
});
