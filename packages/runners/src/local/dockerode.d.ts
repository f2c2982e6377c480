/**
 * The small part of dockerode 5 the local runners use (the package ships no
 * types and @types/dockerode is not a dependency).
 */
declare module "dockerode" {
  import type { Readable, Writable } from "node:stream";

  namespace Docker {
    interface DockerOptions {
      socketPath?: string;
      host?: string;
      port?: number | string;
      protocol?: "http" | "https" | "ssh";
      timeout?: number;
    }

    interface ContainerCreateOptions {
      Image: string;
      Cmd?: string[];
      Env?: string[];
      WorkingDir?: string;
      Labels?: Record<string, string>;
      Tty?: boolean;
      HostConfig?: {
        NanoCpus?: number;
        Memory?: number;
        AutoRemove?: boolean;
        Binds?: string[];
        NetworkMode?: string;
      };
    }

    interface Container {
      readonly id: string;
      start(): Promise<unknown>;
      wait(): Promise<{ StatusCode: number; Error?: { Message?: string } | null }>;
      kill(options?: { signal?: string }): Promise<unknown>;
      remove(options?: { force?: boolean; v?: boolean }): Promise<unknown>;
      logs(options: { follow: true; stdout?: boolean; stderr?: boolean }): Promise<Readable>;
      inspect(): Promise<{ State?: { OOMKilled?: boolean; ExitCode?: number; Error?: string } }>;
    }

    interface Modem {
      demuxStream(stream: Readable, stdout: Writable, stderr: Writable): void;
      followProgress(stream: Readable, onFinished: (error: Error | null, output: unknown[]) => void): void;
    }
  }

  class Docker {
    constructor(options?: Docker.DockerOptions);
    readonly modem: Docker.Modem;
    ping(): Promise<unknown>;
    createContainer(options: Docker.ContainerCreateOptions): Promise<Docker.Container>;
    pull(image: string): Promise<Readable>;
  }

  export = Docker;
}
