/**
 * CI check of the deploy template against CloudFormation's own specification, offline (issue 23):
 * packages each stage of scripts/template-check/stages.ts with `serverless package` (no AWS
 * credentials needed) and checks every CloudFormation template it wrote.
 *
 *   npm run check:template
 *
 * Exit 0 only if every template has no problem; each problem names the resource and the property path.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { checkTemplate, formatProblem } from './template-check/check';
import { loadCfnSpec } from './template-check/spec';
import { STAGES, type PackagedStage } from './template-check/stages';

const ROOT = path.resolve(__dirname, '..');
const SERVERLESS = path.join(ROOT, 'node_modules', '.bin', 'serverless');

function packageStage(stage: PackagedStage): Promise<{ code: number; output: string }> {
  // A fresh folder: a template left from an earlier run must not be checked in place of this one's.
  rmSync(path.join(ROOT, stage.dir), { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(SERVERLESS, ['package', ...stage.args], {
      cwd: ROOT,
      env: { ...stage.env, ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<number> {
  const failures: string[] = [];
  const packaged: PackagedStage[] = [];
  for (const stage of STAGES) {
    const started = Date.now();
    const { code, output } = await packageStage(stage);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      console.error(`${output.trim()}\n`);
      failures.push(`${stage.name}: serverless package ${stage.args.join(' ')} exited ${code}`);
      continue;
    }
    console.log(`${stage.name}: packaged into ${stage.dir}/ in ${seconds} s`);
    packaged.push(stage);
  }

  const started = Date.now();
  const spec = loadCfnSpec();
  console.log(`CloudFormation specification loaded in ${Date.now() - started} ms`);
  for (const stage of packaged) {
    const files = readdirSync(path.join(ROOT, stage.dir)).filter((file) =>
      /^cloudformation-template-.*\.json$/.test(file),
    );
    if (!files.includes('cloudformation-template-update-stack.json')) {
      failures.push(`${stage.name}: no cloudformation-template-update-stack.json in ${stage.dir}/`);
    }
    for (const file of files.sort()) {
      const template = JSON.parse(readFileSync(path.join(ROOT, stage.dir, file), 'utf8')) as {
        Resources?: object;
      };
      const problems = checkTemplate(template, spec).map(formatProblem);
      const resources = Object.keys(template.Resources ?? {}).length;
      console.log(`  ${stage.dir}/${file}: ${resources} resources, ${problems.length} problems`);
      for (const problem of problems) console.log(`    ${problem}`);
      if (problems.length > 0) failures.push(`${stage.dir}/${file}: ${problems.length} problems (above)`);
    }
  }

  if (failures.length > 0) {
    console.error(`check-template failed:\n- ${failures.join('\n- ')}`);
    return 1;
  }
  console.log('check-template: every template fits the CloudFormation specification');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
