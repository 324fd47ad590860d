import { ConfigReader } from '@backstage/config';
import { readKargoInstances } from './KargoInstanceConfig';

const read = (kargo: unknown) =>
  readKargoInstances(
    new ConfigReader({ kargo } as ConstructorParameters<
      typeof ConfigReader
    >[0]),
  );

describe('readKargoInstances', () => {
  it('reads instances with defaults and trims trailing slashes', () => {
    expect(
      read({
        instances: [
          {
            name: 'prod',
            url: 'https://kargo.example.com/',
            token: 't',
            uiUrl: 'https://ui.example.com/',
          },
        ],
      }),
    ).toEqual([
      {
        name: 'prod',
        url: 'https://kargo.example.com',
        token: 't',
        uiUrl: 'https://ui.example.com',
        timeoutMs: 10000,
        forwardUserToken: false,
      },
    ]);
    expect(read(undefined)).toEqual([]);
  });

  it('fails fast with the offending key named', () => {
    expect(() => read({ instances: [{ name: 'prod' }] })).toThrow(/url/);
    expect(() =>
      read({ instances: [{ name: 'a', url: 'kargo.example.com' }] }),
    ).toThrow('kargo.instances[0].url must be an http(s) URL');
    expect(() =>
      read({
        instances: [
          { name: 'a', url: 'http://x' },
          { name: 'a', url: 'http://y' },
        ],
      }),
    ).toThrow('kargo.instances[1].name "a" is used twice');
    expect(() =>
      read({ instances: [{ name: 'a', url: 'http://x', timeoutMs: 0 }] }),
    ).toThrow(/timeoutMs/);
  });
});
