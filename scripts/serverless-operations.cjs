/**
 * A local osls plugin (serverless.yml `plugins: - ./scripts/serverless-operations.cjs`): the deploy checks
 * and the alarms that follow from the list of functions, so a function added to serverless.yml is covered
 * without anyone remembering to.
 *
 * - Packaging or deploying any stage but `local` without BAIDU_APP_KEY fails, naming it: without the
 *   AppKey every function would deploy fine and then fail each run with a ConfigError.
 * - ORDER_CENTER_BASE_URL on a loopback address (a local stand-in, from .local/env) beyond stage local
 *   fails too: such a deploy would push nothing to Baidu.
 * - paymentCheckIndex (PAYMENT_CHECK_INDEX) other than on or deferred fails, naming it.
 * - Every function must have a role of its own (`role:`): a function without one would silently get the
 *   framework's shared default role.
 * - Every function gets two alarms, on its Lambda Errors and Throttles, acting on the stage's alarm topic
 *   (custom.operations.alarmTopic, a logical id in resources).
 */
'use strict';

/** Stages that never reach AWS (npm start, the demo, invoke local): no AppKey needed at package time. */
const LOCAL_STAGES = new Set(['local']);

/** paymentCheckIndex: anything else would deploy the index while every function refused its configuration. */
const PAYMENT_CHECK_INDEX = new Set(['on', 'deferred']);

/** An Order Center on this machine: right for npm start, never for a stage that reaches AWS. */
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

function upperFirst(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One alarm on a Lambda metric of one function: any at all in 5 minutes is worth a look. */
function functionAlarm({ service, stage, functionName, lambdaName, metric, topic, description }) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${service}-${stage}-${functionName}-${metric.toLowerCase()}`,
      AlarmDescription: description,
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [{ Name: 'FunctionName', Value: lambdaName }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    },
  };
}

class OperationsPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.check(),
      'before:deploy:function:initialize': () => this.check(),
      'after:package:compileFunctions': () => this.addFunctionAlarms(),
    };
  }

  stage() {
    return this.serverless.getProvider('aws').getStage();
  }

  /** Fails the command, naming what is missing. */
  check() {
    const { service } = this.serverless;
    const stage = this.stage();
    const appKey = String((service.provider.environment ?? {}).BAIDU_APP_KEY ?? '').trim();
    if (!LOCAL_STAGES.has(stage) && appKey === '') {
      throw new this.serverless.classes.Error(
        `BAIDU_APP_KEY is required to package or deploy stage "${stage}": set the environment variable ` +
          `BAIDU_APP_KEY (or --param="baiduAppKey=...") to the mini-program's AppKey. Without it every ` +
          `function would fail with a ConfigError.`,
      );
    }
    const baseUrl = String((service.provider.environment ?? {}).ORDER_CENTER_BASE_URL ?? '');
    if (!LOCAL_STAGES.has(stage) && LOOPBACK.test(baseUrl)) {
      throw new this.serverless.classes.Error(
        `ORDER_CENTER_BASE_URL is ${baseUrl}, a local stand-in, for stage "${stage}": unset ` +
          `ORDER_CENTER_BASE_URL (the variables of .local/env are for stage local only).`,
      );
    }
    const paymentCheckIndex = String((service.provider.environment ?? {}).PAYMENT_CHECK_INDEX ?? 'on');
    if (!PAYMENT_CHECK_INDEX.has(paymentCheckIndex)) {
      throw new this.serverless.classes.Error(
        `paymentCheckIndex must be on or deferred, got "${paymentCheckIndex}": deferred only for the first ` +
          `of the two deploys that upgrade a first-release stack (README: "Upgrading from the first release").`,
      );
    }
    const withoutRole = service.getAllFunctions().filter((name) => !service.getFunction(name).role);
    if (withoutRole.length > 0) {
      throw new this.serverless.classes.Error(
        `every function needs a role of its own (role: in serverless.yml); none for: ${withoutRole.join(', ')}`,
      );
    }
  }

  addFunctionAlarms() {
    const { service } = this.serverless;
    const topic = service.custom?.operations?.alarmTopic;
    if (!topic)
      throw new this.serverless.classes.Error('custom.operations.alarmTopic must name the alarm topic');
    const stage = this.stage();
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    for (const functionName of service.getAllFunctions()) {
      const lambdaName = service.getFunction(functionName).name;
      const common = { service: service.service, stage, functionName, lambdaName, topic };
      resources[`${upperFirst(functionName)}ErrorsAlarm`] = functionAlarm({
        ...common,
        metric: 'Errors',
        description:
          `${lambdaName} failed (an exception, a timeout or out of memory). Its logs say why: ` +
          `npx serverless logs -f ${functionName} --stage ${stage}. A failed asynchronous invocation ` +
          `ends in the failed-invocations queue once its retries are spent (README: "Failed invocations").`,
      });
      resources[`${upperFirst(functionName)}ThrottlesAlarm`] = functionAlarm({
        ...common,
        metric: 'Throttles',
        description:
          `${lambdaName} was throttled: it hit its reserved concurrency or the account's limit. ` +
          `Asynchronous invocations are retried by Lambda; HTTP callers got a 429 or 503 and retry.`,
      });
    }
  }
}

module.exports = OperationsPlugin;
