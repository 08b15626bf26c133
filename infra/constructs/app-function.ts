import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { LAMBDA_NODE_OPTIONS, ESM_REQUIRE_SHIM, FUNCTION_ENTRIES, LAMBDA_NODE_TARGET, PARSER_WORKER_ESBUILD_ARGS, PARSER_WORKER_SOURCE, WATCHES_SOURCE, type FunctionName } from '../bundling.ts';
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
}

/**
 * A Lambda with this project's conventions: nodejs24.x on arm64, bundled by the local esbuild
 * (no Docker) as ESM with source maps and the SDK inside, an explicit log group with retention,
 * Powertools settings, X-Ray off (traces are not used by any alarm). Grants come with the
 * environment variable that names the resource, so a function never gets one without the other.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fnProps: NodejsFunctionProps = {
      entry: join(ROOT, FUNCTION_ENTRIES[props.name]),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      logGroup,
      tracing: Tracing.DISABLED,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_NODE_TARGET,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        externalModules: [],
        forceDockerBundling: false,
        // The watches (config/watches/*.json) travel as files beside index.mjs, so a new dyad
        // is one more file, read at cold start (shared/watches.ts).
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -r "${inputDir}/${WATCHES_SOURCE}" "${outputDir}/watches"`,
            // rss-parser runs in a worker thread with a time budget: its script travels too.
            `"${inputDir}/node_modules/.bin/esbuild" "${inputDir}/${PARSER_WORKER_SOURCE}" ${PARSER_WORKER_ESBUILD_ARGS.join(' ')} --outfile="${outputDir}/rss-parse-worker.mjs"`,
          ],
        },
      },
    };
    this.fn = new NodejsFunction(this, 'Function', fnProps);
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

  /** Send to a queue, with its URL in the given variable. */
  bindQueueSend(queue: IQueue, envVarName: string): this {
    queue.grantSendMessages(this.fn);
    this.fn.addEnvironment(envVarName, queue.queueUrl);
    return this;
  }
}
