/**
 * The deploy template against CloudFormation's own specification, offline (issue 23). Pure: a parsed
 * template and the specification in, the problems out, each naming where it is (the resource and its
 * type, an output, a condition) and the property path inside it.
 *
 * What it checks:
 * - the template's sections, each resource's attributes (Type, Properties, DependsOn, DeletionPolicy...);
 * - every resource type exists in the specification (custom resources: ServiceToken present);
 * - every property exists for its type, at every depth the specification describes (nested property
 *   types, lists, maps), and every required property is present;
 * - literal values have the specified type (string, integer, number, boolean, list, object) and, where
 *   the specification lists allowed values, one of them. As CloudFormation does, a number or boolean
 *   is accepted for a string, and a numeric or "true"/"false" string for a number or boolean;
 * - intrinsic functions stand in for any value (Fn::If: each branch is checked against the type), and
 *   each Ref, Fn::GetAtt, Fn::Sub variable, Fn::If / Condition and DependsOn names something that exists
 *   (a GetAtt attribute the resource's type has).
 *
 * What it cannot know is what only a deploy shows: permissions at run time, service quotas, names
 * already taken in the account, values a service rejects beyond its schema.
 */
import type { Property, PropertyType } from '@aws-cdk/service-spec-types';
import type { CfnSpec } from './spec';

export interface TemplateProblem {
  /** `Resources.LedgerTable (AWS::DynamoDB::Table)`, `Outputs.ApiUrl`, `Conditions.IsProd` or `template`. */
  where: string;
  /** The path inside it, e.g. `Properties.GlobalSecondaryIndexes[0].Projection.ProjectionType`; '' for the whole. */
  path: string;
  message: string;
}

export function formatProblem(problem: TemplateProblem): string {
  return problem.path
    ? `${problem.where} ${problem.path}: ${problem.message}`
    : `${problem.where}: ${problem.message}`;
}

interface Issue {
  path: string;
  message: string;
}

type JsonObject = Record<string, unknown>;

const TEMPLATE_SECTIONS = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
];
const RESOURCE_ATTRIBUTES = [
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
];
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
const OUTPUT_KEYS = ['Description', 'Value', 'Export', 'Condition'];
const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];
/** Intrinsic functions whose arguments hold no name of their own to check (their nested functions are walked). */
const PLAIN_FUNCTIONS = [
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Transform',
];

/** The names a template defines: what Ref, Fn::GetAtt, Fn::If and DependsOn may point at. */
interface Scope {
  spec: CfnSpec;
  /** Logical id -> its Type ('' when the resource has none). */
  resources: Map<string, string>;
  parameters: Set<string>;
  conditions: Set<string>;
  mappings: Set<string>;
}

export function checkTemplate(template: unknown, spec: CfnSpec): TemplateProblem[] {
  if (!isObject(template)) return [{ where: 'template', path: '', message: 'not a JSON object' }];
  const problems: TemplateProblem[] = [];
  const at = (where: string, issues: Issue[]) =>
    problems.push(...issues.map((issue) => ({ where, ...issue })));

  at('template', unknownKeys(template, TEMPLATE_SECTIONS, '', 'a template section'));
  const resources = isObject(template.Resources) ? template.Resources : {};
  if (Object.keys(resources).length === 0) at('template', [{ path: 'Resources', message: 'no resources' }]);

  const scope: Scope = {
    spec,
    resources: new Map(
      Object.entries(resources).map(([id, resource]) => [
        id,
        isObject(resource) && typeof resource.Type === 'string' ? resource.Type : '',
      ]),
    ),
    parameters: new Set(isObject(template.Parameters) ? Object.keys(template.Parameters) : []),
    conditions: new Set(isObject(template.Conditions) ? Object.keys(template.Conditions) : []),
    mappings: new Set(isObject(template.Mappings) ? Object.keys(template.Mappings) : []),
  };

  for (const [name, condition] of entriesOf(template.Conditions)) {
    at(`Conditions.${name}`, references(condition, '', scope, true));
  }
  for (const [id, resource] of Object.entries(resources)) {
    const type = scope.resources.get(id);
    at(type ? `Resources.${id} (${type})` : `Resources.${id}`, checkResource(resource, scope));
  }
  for (const [name, output] of entriesOf(template.Outputs)) {
    at(`Outputs.${name}`, checkOutput(output, scope));
  }
  return problems;
}

function checkResource(resource: unknown, scope: Scope): Issue[] {
  if (!isObject(resource)) return [{ path: '', message: 'not an object' }];
  const issues = unknownKeys(resource, RESOURCE_ATTRIBUTES, '', 'a resource attribute');
  for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
    const value = resource[policy];
    if (value !== undefined && !(typeof value === 'string' && DELETION_POLICIES.includes(value))) {
      issues.push({ path: policy, message: `${show(value)} is not one of ${DELETION_POLICIES.join(', ')}` });
    }
  }
  issues.push(...dependsOn(resource.DependsOn, scope));
  if (
    resource.Condition !== undefined &&
    !(typeof resource.Condition === 'string' && scope.conditions.has(resource.Condition))
  ) {
    issues.push({
      path: 'Condition',
      message: `${show(resource.Condition)} is not a condition of this template`,
    });
  }

  const type = resource.Type;
  const properties = resource.Properties ?? {};
  if (typeof type !== 'string' || type === '') return [...issues, { path: 'Type', message: 'missing' }];
  if (!isObject(properties))
    return [...issues, { path: 'Properties', message: `expected an object, got ${show(properties)}` }];
  issues.push(...references(properties, 'Properties', scope, false));

  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    // A custom resource's properties are its own; CloudFormation only needs to know whom to ask.
    if (properties.ServiceToken === undefined)
      issues.push({ path: 'Properties.ServiceToken', message: `required by ${type}, missing` });
    return issues;
  }
  const spec = scope.spec.resource(type);
  if (!spec)
    return [...issues, { path: 'Type', message: `${type} is not a resource type CloudFormation knows` }];
  return [...issues, ...checkProperties(properties, spec.properties, 'Properties', type, scope.spec)];
}

function checkOutput(output: unknown, scope: Scope): Issue[] {
  if (!isObject(output)) return [{ path: '', message: 'not an object' }];
  const issues = unknownKeys(output, OUTPUT_KEYS, '', 'an output key');
  if (output.Value === undefined) issues.push({ path: 'Value', message: 'required, missing' });
  if (output.Export !== undefined && !(isObject(output.Export) && output.Export.Name !== undefined)) {
    issues.push({ path: 'Export.Name', message: 'required, missing' });
  }
  if (
    output.Condition !== undefined &&
    !(typeof output.Condition === 'string' && scope.conditions.has(output.Condition))
  ) {
    issues.push({
      path: 'Condition',
      message: `${show(output.Condition)} is not a condition of this template`,
    });
  }
  issues.push(
    ...references(output.Value, 'Value', scope, false),
    ...references(output.Export, 'Export', scope, false),
  );
  return issues;
}

function dependsOn(value: unknown, scope: Scope): Issue[] {
  if (value === undefined) return [];
  const names = Array.isArray(value) ? value : [value];
  return names.flatMap((name, i) => {
    const path = Array.isArray(value) ? `DependsOn[${i}]` : 'DependsOn';
    if (typeof name !== 'string') return [{ path, message: `expected a resource name, got ${show(name)}` }];
    return scope.resources.has(name)
      ? []
      : [
          {
            path,
            message: `${name} is not a resource of this template${suggest(name, scope.resources.keys())}`,
          },
        ];
  });
}

// ---- types: is each value what the specification says -------------------------------------------

/** An object's keys against a property table: unknown ones, missing required ones, each value's type. */
function checkProperties(
  value: JsonObject,
  properties: Record<string, Property>,
  path: string,
  owner: string,
  spec: CfnSpec,
): Issue[] {
  const issues: Issue[] = [];
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (!property) {
      issues.push({
        path: `${path}.${key}`,
        message: `not a property of ${owner}${suggest(key, Object.keys(properties))}`,
      });
      continue;
    }
    const found = checkValue(item, property.type, `${path}.${key}`, owner, spec);
    // A value of a type the property had before (not plain JSON, which would accept anything) still deploys.
    const earlier = (property.previousTypes ?? []).filter((type) => type.type !== 'json');
    if (
      found.length > 0 &&
      !earlier.some((type) => checkValue(item, type, `${path}.${key}`, owner, spec).length === 0)
    ) {
      issues.push(...found);
    }
  }
  for (const [key, property] of Object.entries(properties)) {
    if (property.required && (value[key] === undefined || isNoValue(value[key]))) {
      issues.push({ path: `${path}.${key}`, message: `required by ${owner}, missing` });
    }
  }
  return issues;
}

function checkValue(value: unknown, type: PropertyType, path: string, owner: string, spec: CfnSpec): Issue[] {
  const intrinsic = intrinsicOf(value);
  if (intrinsic) {
    // Resolved at deploy time: any function may stand in for any value. Fn::If picks one of two literals,
    // and each of those must fit.
    const [name, args] = intrinsic;
    if (name !== 'Fn::If' || !Array.isArray(args) || args.length !== 3) return [];
    return [args[1], args[2]].flatMap((branch, i) =>
      isNoValue(branch) ? [] : checkValue(branch, type, `${path}.Fn::If[${i + 1}]`, owner, spec),
    );
  }
  const wrong = (): Issue[] => [{ path, message: `expected ${describe(type, spec)}, got ${show(value)}` }];
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return wrong();
      return allowed(String(value), type.allowedValues, path);
    case 'integer':
      if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) return wrong();
      return allowed(Number(value), type.allowedValues, path);
    case 'number':
      return typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        ? []
        : wrong();
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value))
        ? []
        : wrong();
    case 'date-time':
      return typeof value === 'string' ? [] : wrong();
    case 'json':
      return isObject(value) || Array.isArray(value) ? [] : wrong();
    case 'null':
      return [];
    case 'tag':
      return isObject(value) ? checkProperties(value, TAG_PROPERTIES, path, 'Tag', spec) : wrong();
    case 'array':
      if (!Array.isArray(value)) return wrong();
      return value.flatMap((element, i) => checkValue(element, type.element, `${path}[${i}]`, owner, spec));
    case 'map':
      if (!isObject(value)) return wrong();
      return Object.entries(value).flatMap(([key, element]) =>
        checkValue(element, type.element, `${path}.${key}`, owner, spec),
      );
    case 'ref': {
      if (!isObject(value)) return wrong();
      const definition = spec.definition(type);
      return checkProperties(
        value,
        definition.properties,
        path,
        `${resourceOf(owner)}.${definition.name}`,
        spec,
      );
    }
    case 'union':
      return checkUnion(value, type.types, path, owner, spec) ?? wrong();
  }
}

const TAG_PROPERTIES: Record<string, Property> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

/**
 * A value of one of several types: fine if it fits any. Only the members of the value's own shape are
 * tried (a list against the list types...), and plain JSON only when no member has that shape, so an
 * object that could be "any JSON" is still checked property by property where the specification
 * describes it. Undefined when no member has the value's shape.
 */
function checkUnion(
  value: unknown,
  members: PropertyType[],
  path: string,
  owner: string,
  spec: CfnSpec,
): Issue[] | undefined {
  const flat = members.flatMap(function flatten(type): PropertyType[] {
    return type.type === 'union' ? type.types.flatMap(flatten) : [type];
  });
  const shape = shapeOf(value);
  let candidates = flat.filter((type) => shapeOfType(type) === shape);
  if (candidates.length === 0) candidates = flat.filter((type) => type.type === 'json' && shape !== 'scalar');
  if (candidates.length === 0) return undefined;
  const results = candidates.map((type) => checkValue(value, type, path, owner, spec));
  if (results.some((issues) => issues.length === 0)) return [];
  return results.reduce((fewest, issues) => (issues.length < fewest.length ? issues : fewest));
}

type Shape = 'list' | 'object' | 'scalar' | 'other';

function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return 'list';
  if (isObject(value)) return 'object';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? 'scalar'
    : 'other';
}

function shapeOfType(type: PropertyType): Shape | 'json' {
  switch (type.type) {
    case 'array':
      return 'list';
    case 'map':
    case 'ref':
    case 'tag':
      return 'object';
    case 'json':
      return 'json';
    case 'null':
      return 'other';
    default:
      return 'scalar';
  }
}

function allowed<T extends string | number>(
  value: T,
  values: readonly T[] | undefined,
  path: string,
): Issue[] {
  if (!values || values.length === 0 || values.includes(value)) return [];
  const list =
    values.length > 12
      ? `${values.slice(0, 12).join(', ')}, ... (${values.length} in all)`
      : values.join(', ');
  return [{ path, message: `${show(value)} is not one of the allowed values: ${list}` }];
}

function describe(type: PropertyType, spec: CfnSpec): string {
  switch (type.type) {
    case 'array':
      return `a list of ${describe(type.element, spec)}`;
    case 'map':
      return `a map of ${describe(type.element, spec)}`;
    case 'ref':
      return `an object (${spec.definition(type).name})`;
    case 'union':
      return type.types.map((member) => describe(member, spec)).join(' or ');
    case 'json':
      return 'a JSON object';
    case 'tag':
      return 'a tag ({Key, Value})';
    default:
      return type.type;
  }
}

// ---- names: does each reference point at something that exists ----------------------------------

/** Every Ref, Fn::GetAtt, Fn::Sub variable, Fn::If condition and Fn::FindInMap map under value. */
function references(value: unknown, path: string, scope: Scope, inCondition: boolean): Issue[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => references(item, `${path}[${i}]`, scope, inCondition));
  if (!isObject(value)) return [];
  const intrinsic = intrinsicOf(value) ?? (inCondition && conditionOf(value));
  if (!intrinsic) {
    return Object.entries(value).flatMap(([key, item]) =>
      references(item, join(path, key), scope, inCondition),
    );
  }
  const [name, args] = intrinsic;
  const here = join(path, name);
  const issue = (message: string): Issue[] => [{ path: here, message }];
  switch (name) {
    case 'Ref':
      return typeof args === 'string'
        ? refIssues(args, scope).map((message) => ({ path: here, message }))
        : issue('takes a name');
    case 'Condition':
      return typeof args === 'string' && scope.conditions.has(args)
        ? []
        : issue(
            `${show(args)} is not a condition of this template${suggest(String(args), scope.conditions)}`,
          );
    case 'Fn::GetAtt':
      return getAtt(args, here, scope);
    case 'Fn::Sub':
      return sub(args, here, scope, inCondition);
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3)
        return issue('takes [condition, value if true, value if false]');
      const [condition, ...branches] = args;
      const known = typeof condition === 'string' && scope.conditions.has(condition);
      return [
        ...(known
          ? []
          : [{ path: `${here}[0]`, message: `${show(condition)} is not a condition of this template` }]),
        ...branches.flatMap((branch, i) => references(branch, `${here}[${i + 1}]`, scope, inCondition)),
      ];
    }
    case 'Fn::FindInMap': {
      const map = Array.isArray(args) ? args[0] : undefined;
      const missing = typeof map === 'string' && !scope.mappings.has(map);
      return [
        ...(missing ? [{ path: `${here}[0]`, message: `${map} is not a mapping of this template` }] : []),
        ...references(args, here, scope, inCondition),
      ];
    }
    default:
      if (!PLAIN_FUNCTIONS.includes(name))
        return issue(`${name} is not an intrinsic function CloudFormation knows`);
      return references(args, here, scope, inCondition);
  }
}

function refIssues(name: string, scope: Scope): string[] {
  if (scope.resources.has(name) || scope.parameters.has(name) || PSEUDO_PARAMETERS.includes(name)) return [];
  const names = [...scope.resources.keys(), ...scope.parameters];
  return [`${name} is not a resource, parameter or pseudo parameter of this template${suggest(name, names)}`];
}

/** `Fn::GetAtt: [Resource, Attribute]` or `Resource.Attribute`: the resource exists and its type has the attribute. */
function getAtt(args: unknown, path: string, scope: Scope): Issue[] {
  let target: unknown[];
  if (typeof args === 'string' && args.includes('.')) {
    const dot = args.indexOf('.');
    target = [args.slice(0, dot), args.slice(dot + 1)];
  } else if (Array.isArray(args) && args.length === 2) {
    target = args;
  } else {
    return [{ path, message: 'takes [resource, attribute] or "resource.attribute"' }];
  }
  const [resource, attribute] = target;
  if (typeof resource !== 'string') return [{ path, message: 'the resource must be a name' }];
  if (typeof attribute !== 'string') return references(attribute, `${path}[1]`, scope, false);
  return attributeIssues(resource, attribute, scope).map((message) => ({ path, message }));
}

function attributeIssues(resource: string, attribute: string, scope: Scope): string[] {
  const type = scope.resources.get(resource);
  if (type === undefined) {
    return [`${resource} is not a resource of this template${suggest(resource, scope.resources.keys())}`];
  }
  if (type === '' || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return [];
  const spec = scope.spec.resource(type);
  if (!spec) return []; // the unknown type is reported on the resource itself
  if (attribute in spec.attributes) return [];
  if (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return [];
  const names = Object.keys(spec.attributes);
  return [
    `${type} has no attribute ${attribute} (${resource}.${attribute})${suggest(attribute, names)}; it has: ${names.join(', ') || 'none'}`,
  ];
}

/** `Fn::Sub: "text ${Name} ${Resource.Attr}"` or `[text, {Var: value}]`: each ${...} not a variable exists. */
function sub(args: unknown, path: string, scope: Scope, inCondition: boolean): Issue[] {
  const [text, variables] = Array.isArray(args) ? args : [args, {}];
  if (typeof text !== 'string' || !isObject(variables))
    return [{ path, message: 'takes "text" or ["text", {variables}]' }];
  const issues = references(variables, `${path}[1]`, scope, inCondition);
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = match[1]!.trim();
    if (name.startsWith('!') || name in variables) continue;
    const dot = name.indexOf('.');
    const found =
      dot > 0 ? attributeIssues(name.slice(0, dot), name.slice(dot + 1), scope) : refIssues(name, scope);
    issues.push(...found.map((message) => ({ path, message: `\${${name}}: ${message}` })));
  }
  return issues;
}

// ---- small helpers ------------------------------------------------------------------------------

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entriesOf(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

/** `{Ref: x}` or `{"Fn::Name": args}`: an object whose only key is a function's name. */
function intrinsicOf(value: unknown): [string, unknown] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key.startsWith('Fn::') ? [key, value[key]] : undefined;
}

/** `{Condition: name}`, which is a function only inside conditions. */
function conditionOf(value: JsonObject): [string, unknown] | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'Condition' ? ['Condition', value.Condition] : undefined;
}

function isNoValue(value: unknown): boolean {
  const intrinsic = intrinsicOf(value);
  return intrinsic !== undefined && intrinsic[0] === 'Ref' && intrinsic[1] === 'AWS::NoValue';
}

function unknownKeys(value: JsonObject, known: readonly string[], path: string, what: string): Issue[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => ({ path: join(path, key), message: `not ${what}${suggest(key, known)}` }));
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function resourceOf(owner: string): string {
  const dot = owner.indexOf('.');
  return dot < 0 ? owner : owner.slice(0, dot);
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return typeof value === 'string' ? `"${value}"` : `${typeof value} ${String(value)}`;
}

/** " (did you mean X?)" for the closest name by edit distance, when one is close enough to be a typo. */
function suggest(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
