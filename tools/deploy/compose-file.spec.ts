import { dependenciesOf, environmentOf, interpolate, MissingComposeVariable } from './compose-file';

describe('reading a compose file the way docker compose does', () => {
  it('given ${VAR} and $VAR, then they take the value from the environment, and $$ stays a literal $', () => {
    expect(interpolate('${A}-$B-$$C', { A: 'a', B: 'b' })).toBe('a-b-$C');
  });

  it('given ${VAR:-default}, then the default applies when VAR is unset or empty; with ${VAR-default} only when unset', () => {
    expect(interpolate('${A:-x}|${B:-x}|${C:-x}', { B: '', C: 'c' })).toBe('x|x|c');
    expect(interpolate('${A-x}|${B-x}', { B: '' })).toBe('x|');
  });

  it('given ${VAR:?message} and VAR unset or empty, then reading refuses with the variable and message', () => {
    expect(() => interpolate('${TOKEN:?set TOKEN}', {})).toThrow(new MissingComposeVariable('TOKEN', 'set TOKEN'));
    expect(() => interpolate('${TOKEN:?set TOKEN}', { TOKEN: '' })).toThrow(MissingComposeVariable);
    expect(interpolate('${TOKEN:?set TOKEN}', { TOKEN: 't' })).toBe('t');
  });

  it('given an environment in list form and a short depends_on list, then both normalise to the map forms', () => {
    expect(environmentOf({ environment: ['A=1', 'B=x=y'] })).toEqual({ A: '1', B: 'x=y' });
    expect(environmentOf({ environment: { A: 1, B: true, C: null } })).toEqual({ A: '1', B: 'true', C: '' });
    expect(dependenciesOf({ depends_on: ['db'] })).toEqual({ db: { condition: 'service_started', required: true } });
  });
});
