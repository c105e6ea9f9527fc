import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The compiled CloudFormation template of a non-local stage, as `serverless package` writes it: who may
 * touch what, which alarms tell whom, where failed asynchronous invocations go. And the package-time
 * check that a stage beyond local names its AppKey.
 */
const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
const STAGE = 'staging';
const run = promisify(execFile);

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
type Template = { Resources: Record<string, Resource>; Conditions?: Record<string, unknown> };

const FUNCTIONS = readdirSync(path.join(ROOT, 'functions'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''));
const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** Runs `serverless package` with the given environment additions; the packaging folder is removed. */
async function packageStage(
  stage: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
): Promise<Template> {
  const dir = mkdtempSync(path.join(tmpdir(), 'template-test-'));
  try {
    const unset = new Set(Object.keys(env).filter((name) => env[name] === undefined));
    const childEnv = Object.fromEntries(
      Object.entries({ ...process.env, ...env }).filter(([name]) => !unset.has(name)),
    );
    await run(process.execPath, [CLI, 'package', '--stage', stage, '--package', dir, ...args], {
      cwd: ROOT,
      env: childEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let template: Template;
/** The same stage packaged for the first of the two deploys upgrading a first-release stack. */
let deferred: Template;
const resources = () => template.Resources;
const ofType = (type: string) => Object.entries(resources()).filter(([, r]) => r.Type === type);

beforeAll(async () => {
  const env = { BAIDU_APP_KEY: 'template-test-app-key', ORDER_CENTER_BASE_URL: undefined };
  // One after the other: packagings share the esbuild work folder.
  template = await packageStage(STAGE, env);
  deferred = await packageStage(STAGE, env, ['--param=paymentCheckIndex=deferred']);
}, 240_000);

/** A condition of the template as CloudFormation evaluates it (the forms serverless.yml uses). */
function holds(t: Template, condition: unknown): boolean {
  if (typeof condition === 'string') return holds(t, t.Conditions?.[condition]);
  const [name, args] = Object.entries(condition as Record<string, unknown>)[0]!;
  if (name === 'Condition') return holds(t, args);
  if (name === 'Fn::Not') return !holds(t, (args as unknown[])[0]);
  if (name === 'Fn::Equals') {
    const [a, b] = args as unknown[];
    if (typeof a !== 'string' || typeof b !== 'string')
      throw new Error(`not literal: ${JSON.stringify(args)}`);
    return a === b;
  }
  throw new Error(`condition function ${name} not evaluated here`);
}

const NO_VALUE = JSON.stringify({ Ref: 'AWS::NoValue' });

/** value with each Fn::If resolved; AWS::NoValue leaves the list (or object) without the entry. */
function resolved(t: Template, value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((v) => resolved(t, v)).filter((v) => JSON.stringify(v) !== NO_VALUE);
  if (typeof value !== 'object' || value === null) return value;
  const fnIf = (value as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
  if (fnIf) return resolved(t, holds(t, fnIf[0]) ? fnIf[1] : fnIf[2]);
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, v]) => [key, resolved(t, v)] as const)
      .filter(([, v]) => JSON.stringify(v) !== NO_VALUE),
  );
}

/** What a statement's resource is, in words: `access-token`, `LedgerTable/index/bySyncQueue`, `log-group reconcile`. */
function describeResource(resource: unknown, statement: Statement): string[] {
  if (Array.isArray(resource)) return resource.flatMap((r) => describeResource(r, statement));
  if (typeof resource === 'string') return [resource];
  const record = resource as Record<string, unknown>;
  if ('Fn::GetAtt' in record) return [(record['Fn::GetAtt'] as string[])[0]!];
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return [
      parts
        .map((part) => (typeof part === 'string' ? part : describeResource(part, statement)[0]))
        .join(separator),
    ];
  }
  if ('Fn::Sub' in record) {
    const text = record['Fn::Sub'] as string;
    const parameter = new RegExp(`:parameter/swan-order-sync/${STAGE}/([^/]+)$`).exec(text);
    if (parameter) return [parameter[1]!];
    const logGroup = new RegExp(`:log-group:/aws/lambda/swan-order-sync-${STAGE}-([^:]+):\\*$`).exec(text);
    if (logGroup) return [`log-group ${logGroup[1]}`];
    if (/:kms:.*:key\/\*$/.test(text)) {
      // the aws/ssm key, only through SSM and only for the parameters its condition names
      const condition = statement.Condition?.StringEquals ?? {};
      expect(JSON.stringify(condition['kms:ViaService'])).toContain('ssm.${AWS::Region}.amazonaws.com');
      return describeResource(condition['kms:EncryptionContext:PARAMETER_ARN'], statement);
    }
    return [text];
  }
  return [JSON.stringify(resource)];
}

/** Every `action resource` a function's role allows, sorted (in the template t, conditions evaluated). */
function permissionsOf(fn: string, t: Template = template): string[] {
  const role = (
    t.Resources[`${upperFirst(fn)}LambdaFunction`]!.Properties.Role as { 'Fn::GetAtt': string[] }
  )['Fn::GetAtt'][0]!;
  const props = resolved(t, t.Resources[role]!.Properties) as Record<string, unknown>;
  const managed = ((props.ManagedPolicyArns as { Ref: string }[] | undefined) ?? []).map((ref) => {
    const policy = t.Resources[ref.Ref]!;
    // A Ref to a resource its condition leaves out fails the deploy.
    if (policy.Condition !== undefined)
      expect([ref.Ref, holds(t, policy.Condition)]).toEqual([ref.Ref, true]);
    return policy.Properties.PolicyDocument as { Statement: Statement[] };
  });
  const documents = [
    ...((props.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).map(
      (p) => p.PolicyDocument,
    ),
    ...managed,
  ];
  return documents
    .flatMap((document) => document.Statement)
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      const targets = describeResource(statement.Resource, statement);
      return actions.flatMap((action) => targets.map((target) => `${action} ${target}`));
    })
    .sort();
}

const own = (fn: string) => [`logs:CreateLogStream log-group ${fn}`, `logs:PutLogEvents log-group ${fn}`];
const WEBHOOK = [
  'dynamodb:GetItem LedgerTable',
  'dynamodb:UpdateItem LedgerTable',
  'ssm:GetParameter access-token',
  'kms:Decrypt access-token',
  'ssm:GetParameter webhook-secret',
  'kms:Decrypt webhook-secret',
  'sqs:SendMessage FailedInvocationsQueue',
];

/** Who may do what: the whole list, so a permission added anywhere shows up here. */
const EXPECTED_PERMISSIONS: Record<string, string[]> = {
  paymentSucceeded: [...WEBHOOK, 'ssm:GetParameter cashier-public-key'],
  shipped: WEBHOOK,
  refundRequested: [...WEBHOOK, 'ssm:GetParameter cashier-public-key'], // /baidu/refund-audit
  orderPlaced: WEBHOOK,
  orderCompleted: WEBHOOK,
  orderClosed: WEBHOOK,
  refundUpdated: [...WEBHOOK, 'ssm:GetParameter cashier-public-key'], // /baidu/refund-notify
  reconcile: [
    'dynamodb:GetItem LedgerTable',
    'dynamodb:UpdateItem LedgerTable',
    'dynamodb:Query LedgerTable/index/byQueueShard',
    'dynamodb:Query LedgerTable/index/bySyncQueue',
    'dynamodb:Query LedgerTable/index/byPaymentCheck',
    'dynamodb:Scan LedgerTable',
    'ssm:GetParameter access-token',
    'kms:Decrypt access-token',
    // the coordinator starts the shard workers: exactly that one function
    `lambda:InvokeFunction arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:swan-order-sync-${STAGE}-reconcileWorker`,
    'sqs:SendMessage FailedInvocationsQueue',
  ],
  // a shard's worker: its due orders and the items it pushes; no scan, no invoke
  reconcileWorker: [
    'dynamodb:GetItem LedgerTable',
    'dynamodb:UpdateItem LedgerTable',
    'dynamodb:Query LedgerTable/index/byQueueShard',
    'dynamodb:Query LedgerTable/index/bySyncQueue',
    'dynamodb:Query LedgerTable/index/byPaymentCheck',
    'ssm:GetParameter access-token',
    'kms:Decrypt access-token',
    'sqs:SendMessage FailedInvocationsQueue',
  ],
  rotateToken: [
    'ssm:GetParameter app-secret',
    'kms:Decrypt app-secret',
    'ssm:PutParameter access-token',
    'kms:Encrypt access-token',
    'sqs:SendMessage FailedInvocationsQueue',
  ],
};

describe('the compiled template: least privilege per function', () => {
  it('has a permission table for every function', () => {
    expect(Object.keys(EXPECTED_PERMISSIONS).sort()).toEqual([...FUNCTIONS].sort());
  });

  it('gives every function a role of its own, and builds no shared default role', () => {
    const roles = FUNCTIONS.map((fn) =>
      JSON.stringify(resources()[`${upperFirst(fn)}LambdaFunction`]!.Properties.Role),
    );
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
    expect(resources().IamRoleLambdaExecution).toBeUndefined();
  });

  it.each(FUNCTIONS)('lets %s do exactly what it needs, on exact resources', (fn) => {
    expect(permissionsOf(fn)).toEqual([...EXPECTED_PERMISSIONS[fn]!, ...own(fn)].sort());
  });

  it('never lets a webhook read the AppSecret, write the token or scan the table', () => {
    for (const fn of FUNCTIONS.filter(
      (name) => !['reconcile', 'reconcileWorker', 'rotateToken'].includes(name),
    )) {
      const granted = permissionsOf(fn).join('\n');
      expect(granted).not.toMatch(/app-secret|PutParameter|Scan|Query/);
    }
  });
});

describe('the upgrade from the first release: one new index per deploy', () => {
  /** The first release's table had this one index; CloudFormation creates or deletes one per update. */
  const FIRST_RELEASE_INDEXES = ['bySyncQueue'];
  const table = (t: Template) =>
    resolved(t, t.Resources.LedgerTable!.Properties) as {
      AttributeDefinitions: { AttributeName: string }[];
      KeySchema: { AttributeName: string }[];
      GlobalSecondaryIndexes: { IndexName: string; KeySchema: { AttributeName: string }[] }[];
    };
  const indexes = (t: Template) => table(t).GlobalSecondaryIndexes.map((index) => index.IndexName);
  const changed = (from: string[], to: string[]) =>
    [...from.filter((n) => !to.includes(n)), ...to.filter((n) => !from.includes(n))].length;

  it('adds byQueueShard in the deferred deploy, then byPaymentCheck in the next', () => {
    expect(indexes(deferred).sort()).toEqual(['byQueueShard', 'bySyncQueue']);
    expect(indexes(template).sort()).toEqual(['byPaymentCheck', 'byQueueShard', 'bySyncQueue']);
    expect(changed(FIRST_RELEASE_INDEXES, indexes(deferred))).toBe(1);
    expect(changed(indexes(deferred), indexes(template))).toBe(1);
  });

  it.each([
    ['on', () => template],
    ['deferred', () => deferred],
  ])('declares only the attributes a key uses (paymentCheckIndex %s)', (_setting, of) => {
    const t = table(of());
    const keys = [t.KeySchema, ...t.GlobalSecondaryIndexes.map((index) => index.KeySchema)].flatMap(
      (schema) => schema.map((key) => key.AttributeName),
    );
    expect(t.AttributeDefinitions.map((a) => a.AttributeName).sort()).toEqual([...new Set(keys)].sort());
  });

  it.each(['reconcile', 'reconcileWorker'])(
    'gives %s no query on byPaymentCheck while the index is deferred, and nothing else less',
    (fn) => {
      const query = 'dynamodb:Query LedgerTable/index/byPaymentCheck';
      expect(permissionsOf(fn, template)).toContain(query);
      expect(permissionsOf(fn, deferred)).toEqual(permissionsOf(fn, template).filter((p) => p !== query));
    },
  );

  it('passes the setting to the functions as PAYMENT_CHECK_INDEX', () => {
    const environment = (t: Template) =>
      (
        t.Resources.ReconcileWorkerLambdaFunction!.Properties.Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
    expect(environment(template).PAYMENT_CHECK_INDEX).toBe('on');
    expect(environment(deferred).PAYMENT_CHECK_INDEX).toBe('deferred');
  });
});

describe('the compiled template: alarms that reach a person', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm');

  it('sends every alarm, and its all-clear, to the stage topic', () => {
    expect(alarms().length).toBeGreaterThanOrEqual(6 + 2 * FUNCTIONS.length);
    for (const [, alarm] of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: 'AlarmTopic' }]);
    }
    expect(resources().AlarmTopic!.Type).toBe('AWS::SNS::Topic');
  });

  it('subscribes an e-mail address only when the alarmEmail parameter gives one', () => {
    const subscription = resources().AlarmEmailSubscription!;
    expect(subscription.Condition).toBe('HasAlarmEmail');
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', TopicArn: { Ref: 'AlarmTopic' } });
    expect(template.Conditions?.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it.each([
    ['OrdersDead', 'Sum'],
    ['OrdersFailed', 'Sum'],
    ['OldestDueOrderAgeSeconds', 'Maximum'],
    ['TokenRotations', 'Sum'],
    ['PaymentsFoundByQuery', 'Sum'],
  ])('watches %s of this stage only (service and stage dimensions)', (metric, statistic) => {
    const found = alarms().filter(([, a]) => a.Properties.MetricName === metric);
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({
      Namespace: 'SwanOrderSync',
      Statistic: statistic,
      Dimensions: [
        { Name: 'service', Value: 'swan-order-sync' },
        { Name: 'stage', Value: STAGE },
      ],
    });
  });

  it('goes off when no token rotation succeeded for 36 hours', () => {
    const [, rotation] = alarms().find(([, a]) => a.Properties.MetricName === 'TokenRotations')!;
    const p = rotation.Properties as { Period: number; EvaluationPeriods: number; DatapointsToAlarm: number };
    expect(p.Period * p.EvaluationPeriods).toBe(36 * 3600);
    expect(p.DatapointsToAlarm).toBe(p.EvaluationPeriods);
    expect(rotation.Properties).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it.each(FUNCTIONS)('watches the Lambda Errors and Throttles of %s', (fn) => {
    for (const metric of ['Errors', 'Throttles']) {
      expect(resources()[`${upperFirst(fn)}${metric}Alarm`]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: `swan-order-sync-${STAGE}-${fn}` }],
      });
    }
  });

  it('watches DynamoDB throttling of the ledger and its index, and the failed-invocations queue', () => {
    const throttles = JSON.stringify(resources().LedgerThrottlesAlarm!.Properties.Metrics);
    for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) expect(throttles).toContain(metric);
    expect(throttles).toContain('byQueueShard');
    expect(throttles).toContain('bySyncQueue');
    expect(throttles).toContain(`swan-order-sync-${STAGE}-ledger`);
    expect(resources().FailedInvocationsAlarm!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: `swan-order-sync-${STAGE}-failed-invocations` }],
    });
  });

  it('draws one dashboard for the stage, from metrics that carry the stage', () => {
    const body = (resources().Dashboard!.Properties.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const dashboard = JSON.parse(body.replaceAll('${AWS::Region}', 'ap-southeast-1')) as {
      widgets: { properties: { title: string; metrics: unknown[] } }[];
    };
    const titles = dashboard.widgets.map((w) => w.properties.title).join(' | ');
    for (const word of [
      'pushed',
      'confirmed',
      'Oldest due',
      'dead',
      'Baidu call latency',
      'errors',
      'Intake replies by status',
      'payments found by query',
    ])
      expect(titles).toContain(word);
    expect(body).toContain(`"stage","${STAGE}"`);
    expect(resources().Dashboard!.Properties.DashboardName).toBe(`swan-order-sync-${STAGE}`);
  });
});

describe('the compiled template: nothing dropped silently', () => {
  it('keeps failed invocations 14 days, encrypted', () => {
    expect(resources().FailedInvocationsQueue!.Properties).toMatchObject({
      QueueName: `swan-order-sync-${STAGE}-failed-invocations`,
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it.each(FUNCTIONS.map((fn) => [fn, fn.startsWith('reconcile') ? 0 : 2] as const))(
    'sends %s to the queue once its asynchronous retries (%i) are spent',
    (fn, retries) => {
      expect(resources()[`${upperFirst(fn)}LambdaEvConf`]!.Properties).toMatchObject({
        MaximumRetryAttempts: retries,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] } },
        },
      });
    },
  );

  it('runs one reconcile and one token rotation at a time, and keeps every log group 30 days', () => {
    expect(resources().ReconcileLambdaFunction!.Properties.ReservedConcurrentExecutions).toBe(1);
    // the shard workers run side by side: reconcile's limit is not theirs
    expect(
      resources().ReconcileWorkerLambdaFunction!.Properties.ReservedConcurrentExecutions,
    ).toBeUndefined();
    expect(resources().RotateTokenLambdaFunction!.Properties.ReservedConcurrentExecutions).toBe(1);
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(FUNCTIONS.length);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });
});

describe('packaging a stage beyond local', () => {
  /** What a failed packaging printed (osls writes its error to stdout, the rest to stderr). */
  async function failure(env: Record<string, string | undefined>, args: string[] = []): Promise<string> {
    try {
      await packageStage('prod', env, args);
    } catch (err) {
      const { stdout, stderr } = err as { stdout?: string; stderr?: string };
      return `${stdout ?? ''}${stderr ?? ''}`;
    }
    throw new Error('packaging succeeded');
  }

  it('fails without BAIDU_APP_KEY, naming it', async () => {
    const printed = await failure({ BAIDU_APP_KEY: undefined, ORDER_CENTER_BASE_URL: undefined });
    expect(printed).toContain('BAIDU_APP_KEY is required to package or deploy stage "prod"');
  }, 120_000);

  it('fails with the local stand-in as its Order Center, naming ORDER_CENTER_BASE_URL', async () => {
    const printed = await failure({
      BAIDU_APP_KEY: 'template-test-app-key',
      ORDER_CENTER_BASE_URL: 'http://127.0.0.1:4010',
    });
    expect(printed).toContain('ORDER_CENTER_BASE_URL is http://127.0.0.1:4010, a local stand-in');
  }, 120_000);

  it('fails with a paymentCheckIndex other than on or deferred, naming it', async () => {
    const printed = await failure(
      { BAIDU_APP_KEY: 'template-test-app-key', ORDER_CENTER_BASE_URL: undefined },
      ['--param=paymentCheckIndex=off'],
    );
    expect(printed).toContain('paymentCheckIndex must be on or deferred, got "off"');
  }, 120_000);
});
