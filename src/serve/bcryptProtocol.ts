/** The messages between serve's main thread and its bcrypt thread (bcryptPool.ts, bcryptWorker.ts). */
export interface BcryptRequest {
  id: number;
  password: string;
  hash: string;
}

export type BcryptReply = { id: number; match: boolean } | { id: number; error: string };
