/**
 * CloudFormation's resource specification, as the AWS CDK team publishes it (@aws-cdk/aws-service-spec:
 * every resource type, its properties and attributes, their types, which are required), behind the two
 * questions the template check asks. Dev tooling only: nothing in lib/ or functions/ loads it.
 *
 * Loading gunzips and parses the whole database (~1 s): load it once per process and pass it around.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { DefinitionReference, Resource, TypeDefinition } from '@aws-cdk/service-spec-types';

export interface CfnSpec {
  /** The resource type, or undefined when CloudFormation has no such type. */
  resource(cloudFormationType: string): Resource | undefined;
  /** A nested property type (an object with properties of its own). */
  definition(reference: DefinitionReference): TypeDefinition;
}

export function loadCfnSpec(): CfnSpec {
  const db = loadAwsServiceSpecSync();
  return {
    resource: (cloudFormationType) =>
      db.lookup('resource', 'cloudFormationType', 'equals', cloudFormationType)[0],
    definition: (reference) => db.get('typeDefinition', reference.reference),
  };
}
