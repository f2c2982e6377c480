import type { SteplineError } from "@stepline/core";

/** What SDK v3 errors carry (service errors and client-side ones alike). */
export interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** The SDK error name (`NoSuchEntityException`, `StateMachineDoesNotExist`, …). */
export function errorName(error: unknown): string {
  return (error as SdkError | undefined)?.name ?? "";
}

/** True when the error's name is one of `names`. */
export function isError(error: unknown, ...names: readonly string[]): boolean {
  return names.includes(errorName(error));
}

/**
 * `call`'s answer, or undefined when it fails with an error named one of
 * `missing` (the resource does not exist, or no longer does).
 */
export async function unlessMissing<T>(call: () => Promise<T>, ...missing: readonly string[]): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isError(error, ...missing)) return undefined;
    throw error;
  }
}

/**
 * AWS refusing a role created moments ago (IAM is eventually consistent):
 * Step Functions says it cannot assume it, Scheduler that it must be allowed
 * to assume it, any service may say PassRole is denied for a while.
 */
export function isRoleNotReady(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  const text = `${e.name ?? ""} ${e.message ?? ""}`;
  return (
    /AccessDenied|ValidationException|InvalidParameter|ClientException/.test(e.name ?? "") &&
    /assume|iam:PassRole|not authorized to perform|execution role|role .*(does not exist|is invalid)/i.test(text)
  );
}

/** The connection settings an error message may mention. */
interface Where {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
}

/**
 * Maps an SDK error to a stepline error: exit 2 (`user`) for credentials,
 * regions and permissions, which the user fixes; exit 1 otherwise.
 */
export async function awsError(error: unknown, doing: string, where: Where): Promise<Error> {
  const { isSteplineError, SteplineError } = await import("@stepline/core");
  if (isSteplineError(error)) return error;
  const of = (code: string, message: string, fix: string, kind: "user" | "failure" = "user"): SteplineError => {
    const e = SteplineError.of(code, message, fix);
    return kind === "user" ? e : new SteplineError(e.problems, "failure");
  };
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? "Error";
  const message = (e.message ?? String(error)).trim().split("\n")[0] ?? "";
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    return of(
      "SL_AWS_NO_CREDENTIALS",
      `No AWS credentials found${where.profile === undefined ? "" : ` for profile '${where.profile}'`} while ${doing}.`,
      "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws sso login` or `aws configure`, or pick a profile with --profile or AWS_PROFILE.",
    );
  }
  if (/region is missing/i.test(message)) {
    return of(
      "SL_AWS_NO_REGION",
      `No AWS region is set (while ${doing}).`,
      "Give --region (e.g. --region us-east-1), set AWS_REGION, or set `region` in the profile of ~/.aws/config.",
    );
  }
  if (
    /^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|ExpiredToken(Exception)?|InvalidSignatureException|IncompleteSignature)$/.test(
      name,
    )
  ) {
    return of(
      "SL_AWS_BAD_CREDENTIALS",
      `AWS rejected the credentials while ${doing}: ${message}`,
      "Refresh the credentials (e.g. `aws sso login`) or check the profile, the access key and the session token.",
    );
  }
  if (/^AccessDenied(Exception)?$|^UnauthorizedOperation$|^AuthorizationError/.test(name)) {
    return of(
      "SL_AWS_ACCESS_DENIED",
      `Access denied while ${doing}: ${message}`,
      "Deploy with credentials allowed to make this call, or ask an administrator to grant it.",
    );
  }
  const network = `${e.code ?? ""} ${name} ${message}`;
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|TimeoutError|socket hang up/i.test(network)) {
    return of(
      "SL_AWS_UNREACHABLE",
      `Cannot reach AWS${where.endpoint === undefined ? "" : ` at ${where.endpoint}`} while ${doing}${where.region === undefined ? "" : ` (region ${where.region})`}: ${message}`,
      where.endpoint === undefined
        ? "Check the region name (--region), the network and any proxy settings."
        : "Check that the endpoint is running and the URL is right (--endpoint-url or AWS_ENDPOINT_URL).",
    );
  }
  const status = e.$metadata?.httpStatusCode;
  return of(
    "SL_AWS_FAILED",
    `AWS call failed while ${doing}: ${name}${status === undefined ? "" : ` (HTTP ${status})`}: ${message}`,
    "Run the command again (it continues from where it stopped); if it persists, set STEPLINE_DEBUG=1 and check the call in CloudTrail.",
    "failure",
  );
}
