import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROD_PARAMS, STAGES } from '../../scripts/template-check/stages';

/**
 * `npm run check:template` checks a production-like stage "with every optional parameter set": that
 * holds only while its list of parameters is serverless.yml's. A parameter added to serverless.yml
 * without a value here would be checked only at its default.
 */
const yml = readFileSync(path.resolve(__dirname, '../../serverless.yml'), 'utf8');
const declared = [...new Set([...yml.matchAll(/\$\{param:([A-Za-z0-9_-]+)/g)].map((match) => match[1]!))];

describe('the stages the template check packages', () => {
  it('sets every parameter serverless.yml reads', () => {
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((name) => !(name in PROD_PARAMS))).toEqual([]);
  });

  it('passes each parameter to the production-like stage, which packages into a folder of its own', () => {
    const prod = STAGES.find((stage) => stage.args.includes('prod'))!;
    expect(prod.args).toEqual(expect.arrayContaining(['--package', prod.dir]));
    for (const [name, value] of Object.entries(PROD_PARAMS))
      expect(prod.args).toContain(`--param=${name}=${value}`);
    expect(new Set(STAGES.map((stage) => stage.dir)).size).toBe(STAGES.length);
  });

  it('packages the default stage last, so .serverless/ ends as npm run package leaves it', () => {
    expect(STAGES.at(-1)).toEqual(expect.objectContaining({ dir: '.serverless', args: [] }));
  });

  it('gives the default stage an AppKey only through the environment, which the caller may override', () => {
    expect(STAGES.at(-1)!.env).toEqual({ BAIDU_APP_KEY: expect.any(String) });
  });
});
