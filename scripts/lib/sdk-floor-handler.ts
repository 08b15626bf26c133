/**
 * The cold start benchmark's reference point: the least a Lambda of this design can import. The
 * architecture stores through the AWS SDK's DynamoDB client, bundled; this handler holds that
 * client and nothing else, built exactly as the real handlers are. Its import time is the floor
 * under every handler's, on whatever machine the benchmark runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (): Promise<string> => String(await client.config.region());
