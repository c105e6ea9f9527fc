import { InvalidSeedError, parseSeedParameters } from '../../local/ssm';

describe('parseSeedParameters', () => {
  it('reads names, values and optional types', () => {
    const json = JSON.stringify({
      '/a/secret': { value: 's' },
      '/a/key': { value: 'k', type: 'String' },
      '/a/list': { value: 'x,y', type: 'StringList' },
    });

    expect(parseSeedParameters(json, 'seed.json')).toEqual({
      '/a/secret': { value: 's', type: undefined },
      '/a/key': { value: 'k', type: 'String' },
      '/a/list': { value: 'x,y', type: 'StringList' },
    });
  });

  it.each([
    ['not JSON', '{', 'seed.json: not valid JSON'],
    ['an array', '[]', 'seed.json: must be an object'],
    ['an empty name', '{"":{"value":"v"}}', 'seed.json: a parameter name must not be empty'],
    ['an entry that is a string', '{"/p":"v"}', 'seed.json: "/p": must be an object'],
    ['a missing value', '{"/p":{}}', 'seed.json: "/p".value: must be a non-empty string'],
    ['an empty value', '{"/p":{"value":""}}', 'seed.json: "/p".value: must be a non-empty string'],
    ['an unknown type', '{"/p":{"value":"v","type":"Secret"}}', 'seed.json: "/p".type: must be one of'],
  ])('refuses %s, naming the file and the entry', (_case, json, message) => {
    const act = (): unknown => parseSeedParameters(json, 'seed.json');

    expect(act).toThrow(InvalidSeedError);
    expect(act).toThrow(message);
  });
});
