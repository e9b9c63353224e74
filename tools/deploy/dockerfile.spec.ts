import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSafeToListen, CONFIG_VARIABLES, loadConfig } from '@stockade/runtime';
import { commandOf, DockerStage, envOf, parseDockerfile } from './dockerfile';

/** No Docker engine here: the Dockerfile is checked as text against what the build and apps need. */
const root = join(__dirname, '..', '..');
const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const finalStage = stages.at(-1) as DockerStage;
const stageNamed = (name: string) => stages.find((stage) => stage.name === name);
const argsOf = (stage: DockerStage | undefined, keyword: string) =>
  (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('given the Dockerfile, then a build stage and a final runtime stage both start from node:22-bookworm-slim (Node 22 LTS; Node 20 is past its end of life)', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.base).toBe('node:22-bookworm-slim');
  });

  it('given the build stage, then it installs the native toolchain, installs locked dependencies, builds and drops dev dependencies, in that order', () => {
    const runs = argsOf(stageNamed('build'), 'RUN').join('\n');
    expect(runs).toMatch(/apt-get install[^\n]*\bpython3\b[^\n]*\bmake\b[^\n]*\bg\+\+/);
    const order = ['npm ci', 'npm run build', 'npm prune --omit=dev'].map((step) => runs.indexOf(step));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('given the final stage, then it copies the compiled dist, the production node_modules and package.json from the build stage', () => {
    const copies = argsOf(finalStage, 'COPY');
    for (const path of ['dist', 'node_modules', 'package.json']) {
      expect(copies).toContainEqual(expect.stringMatching(new RegExp(`^--from=build /app/${path} \\./${path}$`)));
    }
    expect(copies.filter((copy) => !copy.startsWith('--from='))).toEqual([]);
  });

  it('given the final stage, then it runs as a non-root user', () => {
    const users = argsOf(finalStage, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
  });

  it('given the final stage environment, then NODE_ENV is production, HOST listens on all interfaces, and the loader accepts every Stockade variable in it', () => {
    const env = envOf(finalStage);
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    const stockadeEnv = Object.fromEntries(
      Object.entries(env).filter(([key]) => (CONFIG_VARIABLES as readonly string[]).includes(key)),
    );
    expect(loadConfig(stockadeEnv)).toMatchObject({ HOST: '0.0.0.0' });
  });

  it('given the APP argument, then it defaults to the embedded stockade app and the command runs dist/apps/${APP}/src/main.js with exec', () => {
    expect(argsOf(finalStage, 'ARG')).toContain('APP=stockade');
    expect(envOf(finalStage).APP).toBe('${APP}');
    expect(existsSync(join(root, 'apps', 'stockade', 'src', 'main.ts'))).toBe(true);
    expect(commandOf(argsOf(finalStage, 'CMD').at(-1) ?? '')).toEqual([
      'sh',
      '-c',
      'exec node dist/apps/${APP}/src/main.js',
    ]);
  });

  it('given the build configuration, then tsc writes apps/<app>/src/main.ts to dist/apps/<app>/src/main.js, where the command looks', () => {
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
  });

  it('given the final stage, then its HEALTHCHECK fetches /health/live on PORT with node (liveness needs no token)', () => {
    const [healthcheck] = argsOf(finalStage, 'HEALTHCHECK');
    const command = commandOf((healthcheck ?? '').replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toMatch(
      /fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 3000\) \+ '\/health\/live'\)/,
    );
  });

  it('given the final stage environment (HOST=0.0.0.0), then a container without tokens refuses to start, and one given an API token starts', () => {
    const stockadeEnv = Object.fromEntries(
      Object.entries(envOf(finalStage)).filter(([key]) => (CONFIG_VARIABLES as readonly string[]).includes(key)),
    );
    expect(() => assertSafeToListen(loadConfig(stockadeEnv), () => undefined)).toThrow(
      /HOST is 0\.0\.0\.0, beyond loopback.*STOCKADE_API_TOKEN/,
    );
    expect(() =>
      assertSafeToListen(
        loadConfig({ ...stockadeEnv, STOCKADE_API_TOKEN: 'Zt6Pq1Lm9Xw3Rk7Vb2Nc5Hy8Jd0Fs4Ga' }),
        () => undefined,
      ),
    ).not.toThrow();
  });

  it('given the build context, then host-built node_modules, dist and local data stay out of the image', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git', '.env']));
  });
});
