/** The partition, region and account placeholders IAM statements may hold. */
const PARTITION = "${AWS::Partition}";
const REGION = "${AWS::Region}";
const ACCOUNT = "${AWS::AccountId}";

/** `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>`. */
export function placeholderArn(service: string, resource: string): string {
  return `arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}`;
}

/** Whether a name given by the user is already an ARN (used as-is then). */
export function isArn(value: string): boolean {
  return value.startsWith("arn:");
}
