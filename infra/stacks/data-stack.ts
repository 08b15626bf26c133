import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { TABLE } from '../../shared/table-schema.ts';

/**
 * Stateful resources: the events table, the alert and ops topics and their key. Kept apart from
 * the pipeline so the pipeline can be torn down and redeployed without touching stored events;
 * the stack is termination-protected and the table retained and deletion-protected.
 *
 * The pipeline reads these resources through exports with fixed names (`refs`), so its IAM
 * findings name them plainly and the pipeline can be destroyed without touching this stack.
 */
export class DataStack extends Stack {
  readonly table: TableV2;
  readonly alertTopic: Topic;
  readonly opsTopic: Topic;
  readonly topicKey: Key;
  readonly refs: DataRefs;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });

    const table = new TableV2(this, 'Events', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      dynamoStream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: TABLE.ttlAttribute,
      globalSecondaryIndexes: Object.values(TABLE.indexes).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
    });
    this.table = table;
    if (!table.tableStreamArn) throw new Error('the events table must have a stream');

    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the alerts and ops topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted ops topic; they need the key to do so.
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.topicKey = key;
    this.alertTopic = new Topic(this, 'Alerts', { displayName: 'Iran-Pakistan alerts', masterKey: key, enforceSSL: true });
    this.opsTopic = new Topic(this, 'Ops', { displayName: 'Iran-Pakistan watch operations', masterKey: key, enforceSSL: true });

    const exported = (value: string, name: string) => this.exportValue(value, { name: `${this.stackName}-${name}` });
    this.refs = {
      tableArn: exported(table.tableArn, 'EventsTableArn'),
      tableStreamArn: exported(table.tableStreamArn, 'EventsTableStreamArn'),
      alertTopicArn: exported(this.alertTopic.topicArn, 'AlertTopicArn'),
      opsTopicArn: exported(this.opsTopic.topicArn, 'OpsTopicArn'),
      topicKeyArn: exported(key.keyArn, 'TopicKeyArn'),
    };
  }
}

/** What the pipeline needs of the data stack: values of named exports (Fn::ImportValue). */
export interface DataRefs {
  tableArn: string;
  tableStreamArn: string;
  alertTopicArn: string;
  opsTopicArn: string;
  topicKeyArn: string;
}
