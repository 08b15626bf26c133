import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { LAMBDA_NODE_OPTIONS, bundleLambda, type FunctionName } from '../bundling.ts';
import { ENV } from '../../shared/config.ts';
import { METRICS_NAMESPACE, SERVICE } from '../../shared/observability.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface AppFunctionProps {
  name: FunctionName;
  description: string;
  timeout: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  logRetention?: RetentionDays;
  /** caps the function's concurrency (and keeps it that much from the account's pool) */
  reservedConcurrentExecutions?: number;
}

/**
 * A Lambda with this project's conventions: nodejs24.x on arm64, bundled by the local esbuild
 * (no Docker) through `bundleLambda` (ESM with source maps, code splitting, the SDK inside, the
 * watches beside it and, for ingest, the parser worker), an explicit log group with retention,
 * Powertools settings, X-Ray off (traces are not used by any alarm). Grants come with the
 * environment variable that names the resource, so a function never gets one without the other.
 */
export class AppFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new LambdaFunction(this, 'Function', {
      // NodejsFunction cannot split code (it gives esbuild one outfile), so the asset is built
      // here by the same function the tests and the benchmark use. Hashing the output means
      // an unchanged bundle is not uploaded again.
      code: Code.fromAsset(ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling always succeeds or throws. CDK requires an image.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
          // CDK caches bundled assets by source path and these options, not by the local
          // bundler: without the name here, all three functions got the first one's code.
          command: ['bundle-lambda', props.name],
          local: {
            tryBundle(outputDir: string) {
              bundleLambda(props.name, outputDir, ROOT);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      logGroup,
      tracing: Tracing.DISABLED,
      environment: {
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
  }

  /** Read and/or write access to the table, and its name in TABLE_NAME. */
  bindTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    if (access === 'read') table.grantReadData(this.fn);
    else table.grantReadWriteData(this.fn);
    this.fn.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Publish to a topic (and use its encryption key), with the ARN in the given variable. */
  bindTopic(topic: ITopic, envVarName: string, key?: IKey): this {
    topic.grantPublish(this.fn);
    // An imported topic does not know its key; SNS needs these to encrypt what we publish.
    key?.grant(this.fn, 'kms:GenerateDataKey*', 'kms:Decrypt');
    this.fn.addEnvironment(envVarName, topic.topicArn);
    return this;
  }

  /**
   * Only these actions, only on items whose partition key starts with one of `prefixes`
   * (dynamodb:LeadingKeys), and the table's name in TABLE_NAME. For a function that must not
   * read or write the rest of the table.
   */
  bindTableKeys(table: ITableV2, actions: string[], prefixes: string[]): this {
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } },
      }),
    );
    this.fn.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Send to a queue, with its URL in the given variable. */
  bindQueueSend(queue: IQueue, envVarName: string): this {
    queue.grantSendMessages(this.fn);
    this.fn.addEnvironment(envVarName, queue.queueUrl);
    return this;
  }
}
