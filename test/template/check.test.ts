import { checkTemplate, formatProblem } from '../../scripts/template-check/check';
import { loadCfnSpec, type CfnSpec } from '../../scripts/template-check/spec';

/**
 * The template check (scripts/template-check) on small hand-made templates: a valid one passes, and each
 * planted mistake fails it with exactly one message naming the resource (or output) and the property path.
 * The specification is the real one, so "AlarmActions exists" is CloudFormation's word, not ours.
 */

let spec: CfnSpec;
beforeAll(() => {
  spec = loadCfnSpec();
});

/** Small, but with what the service's template has: nested types, lists, maps, tags, intrinsics, a condition. */
const VALID = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'template check fixture',
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    AlarmPeriod: { Type: 'Number', Default: 300 },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    IsNotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
  },
  Resources: {
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: { 'Fn::Sub': '${AWS::StackName}-alarms' },
        Tags: [{ Key: 'service', Value: 'swan-order-sync' }],
      },
    },
    DeadOrdersAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        Namespace: 'SwanOrderSync',
        MetricName: 'OrdersDead',
        Dimensions: [{ Name: 'service', Value: 'swan-order-sync' }],
        Statistic: 'Sum',
        Period: { Ref: 'AlarmPeriod' },
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: { 'Fn::If': ['IsProd', true, 'false'] },
      },
    },
    LedgerTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        AttributeDefinitions: [
          { AttributeName: 'orderId', AttributeType: 'S' },
          { AttributeName: 'syncQueue', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'bySyncQueue',
            KeySchema: [{ AttributeName: 'syncQueue', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['openId'] },
          },
        ],
      },
    },
    ExecutionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [
          {
            PolicyName: 'ledger',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['dynamodb:Query'],
                  Resource: [
                    { 'Fn::GetAtt': ['LedgerTable', 'Arn'] },
                    { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['LedgerTable', 'Arn'] }, 'index', 'bySyncQueue']] },
                  ],
                },
              ],
            },
          },
        ],
      },
    },
    ReconcileLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/aws/lambda/reconcile', RetentionInDays: 30 },
    },
    ReconcileFunction: {
      Type: 'AWS::Lambda::Function',
      DependsOn: ['ReconcileLogGroup', 'ExecutionRole'],
      Properties: {
        Code: { S3Bucket: 'deployment-bucket', S3Key: 'reconcile.zip' },
        Handler: 'reconcile.handler',
        Runtime: 'nodejs22.x',
        // CloudFormation takes numbers and booleans written as strings.
        MemorySize: '512',
        Timeout: 300,
        Role: { 'Fn::GetAtt': 'ExecutionRole.Arn' },
        Environment: { Variables: { LEDGER_TABLE: { Ref: 'LedgerTable' }, STAGE: { Ref: 'Stage' } } },
      },
    },
    ReconcileSchedulePermission: {
      Type: 'AWS::Lambda::Permission',
      Condition: 'IsNotProd',
      Properties: {
        FunctionName: { 'Fn::GetAtt': ['ReconcileFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${Rule}-${!Literal}',
            { Rule: { Ref: 'Stage' } },
          ],
        },
      },
    },
  },
  Outputs: {
    LedgerTableArn: {
      Value: { 'Fn::GetAtt': ['LedgerTable', 'Arn'] },
      Export: { Name: { 'Fn::Sub': '${AWS::StackName}-LedgerTableArn' } },
    },
  },
};

type Edit = ['set', string, unknown] | ['delete', string] | ['rename', string, string];

/** A copy of VALID with the edits made; a path is dot-separated keys and list indexes. */
function planted(...edits: Edit[]): unknown {
  const template = structuredClone(VALID) as unknown;
  for (const edit of edits) {
    const keys = edit[1].split('.');
    const last = keys.pop()!;
    let parent = template as Record<string, unknown>;
    for (const key of keys) parent = parent[key] as Record<string, unknown>;
    if (!(last in parent) && edit[0] !== 'set') throw new Error(`fixture: ${edit[1]} does not exist`);
    if (edit[0] === 'set') parent[last] = edit[2];
    if (edit[0] === 'rename') parent[edit[2]] = parent[last];
    if (edit[0] !== 'set') Reflect.deleteProperty(parent, last);
  }
  return template;
}

const ALARM = 'Resources.DeadOrdersAlarm';
const TABLE = 'Resources.LedgerTable';
const FUNCTION = 'Resources.ReconcileFunction';
const GSI = `${TABLE}.Properties.GlobalSecondaryIndexes.0`;

describe('the template check', () => {
  it('passes a valid template, intrinsic functions in place of values included', () => {
    expect(checkTemplate(VALID, spec).map(formatProblem)).toEqual([]);
  });

  it.each<[string, Edit[], string | string[]]>([
    // the resource type
    [
      'an unknown resource type',
      [['set', 'Resources.AlarmTopic.Type', 'AWS::SNS::Topik']],
      'Resources.AlarmTopic (AWS::SNS::Topik) Type: AWS::SNS::Topik is not a resource type CloudFormation knows',
    ],
    [
      'a resource without a type',
      [['delete', 'Resources.AlarmTopic.Type']],
      'Resources.AlarmTopic Type: missing',
    ],
    // properties that do not exist
    [
      'an unknown property at the top level',
      [['rename', `${ALARM}.Properties.AlarmActions`, 'AlarmAction']],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.AlarmAction: not a property of AWS::CloudWatch::Alarm (did you mean AlarmActions?)',
    ],
    [
      'an unknown property in a nested type',
      [['rename', `${GSI}.Projection.ProjectionType`, 'ProjectionTyp']],
      'Resources.LedgerTable (AWS::DynamoDB::Table) Properties.GlobalSecondaryIndexes[0].Projection.ProjectionTyp: not a property of AWS::DynamoDB::Table.Projection (did you mean ProjectionType?)',
    ],
    [
      'an unknown property in a list of a nested type',
      [['rename', `${TABLE}.Properties.KeySchema.0.KeyType`, 'Type']],
      [
        'Resources.LedgerTable (AWS::DynamoDB::Table) Properties.KeySchema[0].Type: not a property of AWS::DynamoDB::Table.KeySchema',
        'Resources.LedgerTable (AWS::DynamoDB::Table) Properties.KeySchema[0].KeyType: required by AWS::DynamoDB::Table.KeySchema, missing',
      ],
    ],
    [
      'an unknown key in a tag',
      [['rename', 'Resources.AlarmTopic.Properties.Tags.0.Value', 'Val']],
      [
        'Resources.AlarmTopic (AWS::SNS::Topic) Properties.Tags[0].Val: not a property of Tag (did you mean Value?)',
        'Resources.AlarmTopic (AWS::SNS::Topic) Properties.Tags[0].Value: required by Tag, missing',
      ],
    ],
    // required properties
    [
      'a missing required property at the top level',
      [['delete', 'Resources.ReconcileSchedulePermission.Properties.Principal']],
      'Resources.ReconcileSchedulePermission (AWS::Lambda::Permission) Properties.Principal: required by AWS::Lambda::Permission, missing',
    ],
    [
      'a missing required property in a nested type',
      [['delete', `${GSI}.KeySchema`]],
      'Resources.LedgerTable (AWS::DynamoDB::Table) Properties.GlobalSecondaryIndexes[0].KeySchema: required by AWS::DynamoDB::Table.GlobalSecondaryIndex, missing',
    ],
    [
      'a required property given as AWS::NoValue',
      [['set', `${FUNCTION}.Properties.Role`, { Ref: 'AWS::NoValue' }]],
      'Resources.ReconcileFunction (AWS::Lambda::Function) Properties.Role: required by AWS::Lambda::Function, missing',
    ],
    // types of literal values
    [
      'a string where an integer belongs',
      [['set', `${ALARM}.Properties.EvaluationPeriods`, 'one']],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.EvaluationPeriods: expected integer, got "one"',
    ],
    [
      'a fraction where an integer belongs',
      [['set', `${FUNCTION}.Properties.Timeout`, 2.5]],
      'Resources.ReconcileFunction (AWS::Lambda::Function) Properties.Timeout: expected integer, got number 2.5',
    ],
    [
      'a word where a boolean belongs, nested',
      [['set', `${TABLE}.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled`, 'yes']],
      'Resources.LedgerTable (AWS::DynamoDB::Table) Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: expected boolean, got "yes"',
    ],
    [
      'a string where a list belongs',
      [['set', `${ALARM}.Properties.AlarmActions`, 'arn:aws:sns:ap-southeast-1:123456789012:alarms']],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.AlarmActions: expected a list of string, got "arn:aws:sns:ap-southeast-1:123456789012:alarms"',
    ],
    [
      'an object where a string belongs',
      [['set', `${ALARM}.Properties.Namespace`, { Name: 'SwanOrderSync' }]],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.Namespace: expected string, got an object',
    ],
    [
      'a null value',
      [['set', `${ALARM}.Properties.MetricName`, null]],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.MetricName: expected string, got null',
    ],
    [
      'a wrong type in one branch of Fn::If',
      [['set', `${ALARM}.Properties.ActionsEnabled`, { 'Fn::If': ['IsProd', true, 'sometimes'] }]],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.ActionsEnabled.Fn::If[2]: expected boolean, got "sometimes"',
    ],
    [
      'a value the specification does not allow',
      [['set', 'Resources.ReconcileLogGroup.Properties.RetentionInDays', 31]],
      'Resources.ReconcileLogGroup (AWS::Logs::LogGroup) Properties.RetentionInDays: number 31 is not one of the allowed values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ... (22 in all)',
    ],
    // references
    [
      'a dangling Ref',
      [['set', `${ALARM}.Properties.AlarmActions.0`, { Ref: 'AlarmTopik' }]],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.AlarmActions[0].Ref: AlarmTopik is not a resource, parameter or pseudo parameter of this template (did you mean AlarmTopic?)',
    ],
    [
      'a dangling Ref inside a JSON policy document',
      [
        [
          'set',
          'Resources.ExecutionRole.Properties.Policies.0.PolicyDocument.Statement.0.Resource.0',
          { Ref: 'Ledger' },
        ],
      ],
      'Resources.ExecutionRole (AWS::IAM::Role) Properties.Policies[0].PolicyDocument.Statement[0].Resource[0].Ref: Ledger is not a resource, parameter or pseudo parameter of this template',
    ],
    [
      'a Fn::GetAtt of a resource that does not exist',
      [['set', `${FUNCTION}.Properties.Role`, { 'Fn::GetAtt': ['ExecRole', 'Arn'] }]],
      'Resources.ReconcileFunction (AWS::Lambda::Function) Properties.Role.Fn::GetAtt: ExecRole is not a resource of this template',
    ],
    [
      'a Fn::GetAtt of an attribute the type does not have',
      [['set', 'Outputs.LedgerTableArn.Value', { 'Fn::GetAtt': ['LedgerTable', 'TableArn'] }]],
      'Outputs.LedgerTableArn Value.Fn::GetAtt: AWS::DynamoDB::Table has no attribute TableArn (LedgerTable.TableArn); it has: Arn, StreamArn',
    ],
    [
      'a Fn::Sub naming a resource that does not exist',
      [['set', 'Resources.AlarmTopic.Properties.TopicName', { 'Fn::Sub': '${AWS::StackName}-${Stag}' }]],
      'Resources.AlarmTopic (AWS::SNS::Topic) Properties.TopicName.Fn::Sub: ${Stag}: Stag is not a resource, parameter or pseudo parameter of this template (did you mean Stage?)',
    ],
    [
      'a Fn::Sub naming an attribute the type does not have',
      [['set', 'Resources.AlarmTopic.Properties.TopicName', { 'Fn::Sub': '${LedgerTable.Name}-alarms' }]],
      'Resources.AlarmTopic (AWS::SNS::Topic) Properties.TopicName.Fn::Sub: ${LedgerTable.Name}: AWS::DynamoDB::Table has no attribute Name (LedgerTable.Name); it has: Arn, StreamArn',
    ],
    [
      'a Fn::If on a condition that does not exist',
      [['set', `${ALARM}.Properties.ActionsEnabled`, { 'Fn::If': ['IsProduction', true, false] }]],
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.ActionsEnabled.Fn::If[0]: "IsProduction" is not a condition of this template',
    ],
    [
      'a Condition inside a condition that does not exist',
      [['set', 'Conditions.IsNotProd', { 'Fn::Not': [{ Condition: 'IsProduction' }] }]],
      'Conditions.IsNotProd Fn::Not[0].Condition: "IsProduction" is not a condition of this template',
    ],
    [
      'a resource on a condition that does not exist',
      [['set', 'Resources.ReconcileSchedulePermission.Condition', 'IsDev']],
      'Resources.ReconcileSchedulePermission (AWS::Lambda::Permission) Condition: "IsDev" is not a condition of this template',
    ],
    [
      'a DependsOn naming a resource that does not exist',
      [['set', `${FUNCTION}.DependsOn.0`, 'ReconcileLogGroups']],
      'Resources.ReconcileFunction (AWS::Lambda::Function) DependsOn[0]: ReconcileLogGroups is not a resource of this template (did you mean ReconcileLogGroup?)',
    ],
    [
      'a misspelled intrinsic function',
      [['set', `${FUNCTION}.Properties.Role`, { 'Fn::GetAttr': ['ExecutionRole', 'Arn'] }]],
      'Resources.ReconcileFunction (AWS::Lambda::Function) Properties.Role.Fn::GetAttr: Fn::GetAttr is not an intrinsic function CloudFormation knows',
    ],
    // the template's own structure
    [
      'a misspelled resource attribute',
      [['rename', `${TABLE}.DeletionPolicy`, 'DeletePolicy']],
      'Resources.LedgerTable (AWS::DynamoDB::Table) DeletePolicy: not a resource attribute (did you mean DeletionPolicy?)',
    ],
    [
      'a deletion policy CloudFormation does not have',
      [['set', `${TABLE}.DeletionPolicy`, 'Keep']],
      'Resources.LedgerTable (AWS::DynamoDB::Table) DeletionPolicy: "Keep" is not one of Delete, Retain, RetainExceptOnCreate, Snapshot',
    ],
    [
      'a misspelled template section',
      [['rename', 'Outputs', 'Output']],
      'template Output: not a template section (did you mean Outputs?)',
    ],
    [
      'an output without a value',
      [['delete', 'Outputs.LedgerTableArn.Value']],
      'Outputs.LedgerTableArn Value: required, missing',
    ],
    [
      'a custom resource without a ServiceToken',
      [['set', 'Resources.Seed', { Type: 'Custom::Seed', Properties: { Table: { Ref: 'LedgerTable' } } }]],
      'Resources.Seed (Custom::Seed) Properties.ServiceToken: required by Custom::Seed, missing',
    ],
  ])('fails %s, naming where', (_name, edits, messages) => {
    expect(checkTemplate(planted(...edits), spec).map(formatProblem)).toEqual([messages].flat());
  });

  it('reports every problem of a template, not only the first', () => {
    const problems = checkTemplate(
      planted(
        ['rename', `${ALARM}.Properties.AlarmActions`, 'AlarmAction'],
        ['delete', `${GSI}.KeySchema`],
        ['set', `${FUNCTION}.Properties.Role`, { Ref: 'Missing' }],
      ),
      spec,
    );
    expect(problems.map((problem) => `${problem.where} ${problem.path}`).sort()).toEqual([
      'Resources.DeadOrdersAlarm (AWS::CloudWatch::Alarm) Properties.AlarmAction',
      'Resources.LedgerTable (AWS::DynamoDB::Table) Properties.GlobalSecondaryIndexes[0].KeySchema',
      'Resources.ReconcileFunction (AWS::Lambda::Function) Properties.Role.Ref',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 'template: not a JSON object'],
    ['without resources', { AWSTemplateFormatVersion: '2010-09-09' }, 'template Resources: no resources'],
  ])('fails a template %s', (_name, template, message) => {
    expect(checkTemplate(template, spec).map(formatProblem)).toEqual([message]);
  });
});
