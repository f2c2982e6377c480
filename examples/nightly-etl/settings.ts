/** Team settings shared by pipelines: a user module the pipeline file imports. */
export const account = "123456789012";
export const region = "eu-west-1";
export const lake = { bucket: "acme-data-lake" } as const;

/** An image in the team's ECR registry. */
export function ecrImage(repository: string, tag: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com/${repository}:${tag}`;
}
