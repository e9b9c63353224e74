import { accessPolicyOf } from './access-policy';
import { ConfigurationError, loadConfig } from './config';
import { assertSafeToListen, isLoopbackHost } from './exposure';

/** Strong tokens, as `openssl rand -base64 24` makes them. */
const OPERATOR = 'q3Vd9xK2mLw7RtZ0pB5nYc1HfJ8sUe4G';
const API = 'Zt6Pq1Lm9Xw3Rk7Vb2Nc5Hy8Jd0Fs4Ga';
const METRICS = 'Mk4Ty8Wq2Pz6Lc0Vn3Rb7Xj1Hd5Gs9Fa';
const WEB = 'Wb7Kx3Qm9Ts1Lp5Zr2Vn8Cy4Hd0Jf6Ga';

function refusal(env: Record<string, string>): string {
  const warnings: string[] = [];
  try {
    assertSafeToListen(loadConfig(env), (warning) => warnings.push(warning));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  return `started; warnings: ${warnings.join(' | ')}`;
}

describe('closed by default: listening beyond loopback', () => {
  it.each(['127.0.0.1', '127.0.0.53', 'localhost', '::1', '[::1]'])('given HOST=%s, then it is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'stockade.internal'])('given HOST=%s, then it is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('given HOST=0.0.0.0 without an API or upstream token, when the process would listen, then it refuses, naming HOST, STOCKADE_API_TOKEN and STOCKADE_UPSTREAM_TOKENS', () => {
    const message = refusal({ HOST: '0.0.0.0', STOCKADE_OPERATOR_TOKEN: OPERATOR });
    expect(message).toMatch(/HOST is 0\.0\.0\.0, beyond loopback/);
    expect(message).toMatch(/STOCKADE_API_TOKEN/);
    expect(message).toMatch(/STOCKADE_UPSTREAM_TOKENS/);
  });

  it('given HOST=0.0.0.0 with an API token, or with upstream tokens, then it starts', () => {
    expect(refusal({ HOST: '0.0.0.0', STOCKADE_OPERATOR_TOKEN: OPERATOR, STOCKADE_API_TOKEN: API })).toBe(
      'started; warnings: ',
    );
    expect(
      refusal({ HOST: '0.0.0.0', STOCKADE_OPERATOR_TOKEN: OPERATOR, STOCKADE_UPSTREAM_TOKENS: `web=${WEB}` }),
    ).toBe('started; warnings: ');
  });

  it('given HOST=0.0.0.0 without tokens and STOCKADE_ALLOW_OPEN_ACCESS=true, then it starts and warns that anyone may place, read and cancel orders', () => {
    expect(refusal({ HOST: '0.0.0.0', STOCKADE_OPERATOR_TOKEN: OPERATOR, STOCKADE_ALLOW_OPEN_ACCESS: 'true' })).toMatch(
      /^started; warnings: HOST is 0\.0\.0\.0.*anyone .* may place, read and cancel any order.*STOCKADE_ALLOW_OPEN_ACCESS=true/,
    );
  });

  it('given loopback without tokens (the embedded demo), then it starts without a warning', () => {
    expect(refusal({ HOST: '127.0.0.1' })).toBe('started; warnings: ');
  });
});

describe('token strength', () => {
  it.each([
    ['STOCKADE_API_TOKEN', 'change-me-api-token-0123456789'],
    ['STOCKADE_API_TOKEN', 'my-example-token-abcdefghijk'],
    ['STOCKADE_API_TOKEN', 'abcdefghijklmnop1234'],
    ['STOCKADE_API_TOKEN', 'abababababababababababababab'],
    ['STOCKADE_OPERATOR_TOKEN', 'SuperSecretOperatorToken123456'],
    ['STOCKADE_METRICS_TOKEN', 'password-for-prometheus-1234'],
  ])('given %s=%s on HOST=0.0.0.0, then the start is refused naming it', (variable, token) => {
    const env = { HOST: '0.0.0.0', STOCKADE_OPERATOR_TOKEN: OPERATOR, STOCKADE_API_TOKEN: API, [variable]: token };
    expect(refusal(env)).toMatch(
      new RegExp(`${variable} (looks like a placeholder|is shorter than 24|has fewer than 10 distinct)`),
    );
  });

  it('given a weak upstream token on HOST=0.0.0.0, then the start is refused naming its channel', () => {
    expect(
      refusal({
        HOST: '0.0.0.0',
        STOCKADE_OPERATOR_TOKEN: OPERATOR,
        STOCKADE_UPSTREAM_TOKENS: `web=${WEB},pos=change-me-pos-token-0123`,
      }),
    ).toMatch(/STOCKADE_UPSTREAM_TOKENS \(pos\) looks like a placeholder/);
  });

  it('given a weak token on loopback, then it starts, with a warning naming the variable', () => {
    expect(
      refusal({ STOCKADE_OPERATOR_TOKEN: OPERATOR, STOCKADE_API_TOKEN: 'change-me-api-token-0123456789' }),
    ).toMatch(/^started; warnings: STOCKADE_API_TOKEN looks like a placeholder.*refused on a HOST beyond loopback/);
  });

  it('given the same token for two roles, then loading the configuration fails, wherever it listens', () => {
    expect(() => loadConfig({ STOCKADE_OPERATOR_TOKEN: OPERATOR, STOCKADE_API_TOKEN: OPERATOR })).toThrow(
      /STOCKADE_API_TOKEN is the same token as STOCKADE_OPERATOR_TOKEN/,
    );
    expect(() => loadConfig({ STOCKADE_API_TOKEN: API, STOCKADE_METRICS_TOKEN: API })).toThrow(
      /STOCKADE_METRICS_TOKEN is the same token as STOCKADE_API_TOKEN/,
    );
    expect(() => loadConfig({ STOCKADE_API_TOKEN: API, STOCKADE_UPSTREAM_TOKENS: `web=${API}` })).toThrow(
      /STOCKADE_UPSTREAM_TOKENS is the same token as STOCKADE_API_TOKEN/,
    );
    expect(() => loadConfig({ STOCKADE_UPSTREAM_TOKENS: `web=${WEB},pos=${WEB}` })).toThrow(
      /channels web and pos share a token/,
    );
  });

  it('given two tokens for one channel (a rotation), then both are its', () => {
    expect(loadConfig({ STOCKADE_UPSTREAM_TOKENS: `web=${WEB},web=${API}` }).STOCKADE_UPSTREAM_TOKENS).toEqual(
      new Map([
        [WEB, 'web'],
        [API, 'web'],
      ]),
    );
  });
});

describe('the access policy and limits from the configuration', () => {
  it('given no variables, then rate limits are on: 1,000/s (burst 2,000) per token, 20/s (burst 40) per address', () => {
    expect(accessPolicyOf(loadConfig({})).rateLimits).toEqual({
      token: { perSecond: 1_000, burst: 2_000 },
      anonymous: { perSecond: 20, burst: 40 },
    });
  });

  it('given STOCKADE_RATE_LIMIT_PER_SECOND=0, then no caller is limited; given the anonymous rate 0, then only callers without a token are not', () => {
    expect(accessPolicyOf(loadConfig({ STOCKADE_RATE_LIMIT_PER_SECOND: '0' })).rateLimits).toBeUndefined();
    expect(accessPolicyOf(loadConfig({ STOCKADE_ANONYMOUS_RATE_LIMIT_PER_SECOND: '0' })).rateLimits).toEqual({
      token: { perSecond: 1_000, burst: 2_000 },
    });
  });

  it('given a metrics token and HOST, then the policy carries the token and whether the process is exposed', () => {
    expect(accessPolicyOf(loadConfig({ STOCKADE_METRICS_TOKEN: METRICS, HOST: '0.0.0.0' }))).toMatchObject({
      metricsToken: METRICS,
      exposed: true,
    });
    expect(accessPolicyOf(loadConfig({}))).toMatchObject({ exposed: false });
  });

  it('given trusted proxies, then IPs, CIDRs and named ranges are accepted and anything else is refused naming the entry', () => {
    expect(
      loadConfig({ STOCKADE_TRUSTED_PROXIES: '10.0.0.1, 10.1.0.0/16,fd00::/8,loopback' }).STOCKADE_TRUSTED_PROXIES,
    ).toEqual(['10.0.0.1', '10.1.0.0/16', 'fd00::/8', 'loopback']);
    expect(() => loadConfig({ STOCKADE_TRUSTED_PROXIES: 'proxy.internal' })).toThrow(
      /STOCKADE_TRUSTED_PROXIES "proxy.internal" is not an IP address/,
    );
    expect(() => loadConfig({ STOCKADE_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/invalid prefix length/);
  });

  it('given an operator reserve as large as the stream pool, then it is refused', () => {
    expect(() => loadConfig({ STOCKADE_MAX_LIVE_STREAMS: '10', STOCKADE_OPERATOR_LIVE_STREAM_RESERVE: '10' })).toThrow(
      /STOCKADE_OPERATOR_LIVE_STREAM_RESERVE must be less than STOCKADE_MAX_LIVE_STREAMS/,
    );
  });
});
