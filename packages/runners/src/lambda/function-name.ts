/** A Lambda function reference taken apart; absent parts come from the deployment. */
export interface FunctionReference {
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
  readonly name: string;
  /** Version or alias after the name, e.g. `prod`, `3`, `$LATEST`. */
  readonly qualifier?: string;
}

const NAME = "([A-Za-z0-9_-]{1,64})";
const QUALIFIER = "(?::(\\$LATEST|[A-Za-z0-9_-]{1,128}))?";
const FULL_ARN = new RegExp(
  `^arn:(aws[A-Za-z-]*):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\\d):(\\d{12}):function:${NAME}${QUALIFIER}$`,
);
const PARTIAL_ARN = new RegExp(`^(\\d{12}):function:${NAME}${QUALIFIER}$`);
const BARE_NAME = new RegExp(`^${NAME}${QUALIFIER}$`);

function withOptional(
  reference: FunctionReference,
  key: keyof FunctionReference,
  value: string | undefined,
): FunctionReference {
  return value === undefined ? reference : { ...reference, [key]: value };
}

/**
 * Parses what Lambda accepts as a function name: `name`, `name:alias`,
 * `123456789012:function:name` and full ARNs, each with an optional version
 * or alias. Returns undefined for anything else.
 */
export function parseFunctionName(value: string): FunctionReference | undefined {
  const full = FULL_ARN.exec(value);
  if (full) {
    const [, partition, region, account, name, qualifier] = full;
    if (partition === undefined || region === undefined || account === undefined || name === undefined)
      return undefined;
    return withOptional({ partition, region, account, name }, "qualifier", qualifier);
  }
  const partial = PARTIAL_ARN.exec(value);
  if (partial) {
    const [, account, name, qualifier] = partial;
    if (account === undefined || name === undefined) return undefined;
    return withOptional({ account, name }, "qualifier", qualifier);
  }
  const bare = BARE_NAME.exec(value);
  if (bare?.[1] === undefined) return undefined;
  return withOptional({ name: bare[1] }, "qualifier", bare[2]);
}

/**
 * The unqualified ARN of a function, with `${AWS::Partition}`, `${AWS::Region}`
 * and `${AWS::AccountId}` for the parts the reference does not give.
 */
export function functionArn(reference: FunctionReference): string {
  const partition = reference.partition ?? "${AWS::Partition}";
  const region = reference.region ?? "${AWS::Region}";
  const account = reference.account ?? "${AWS::AccountId}";
  return `arn:${partition}:lambda:${region}:${account}:function:${reference.name}`;
}
