import { TaskAction } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import type { WorkAction } from './validate-request.js';

type Message = (detail: number) => string;

const exitStatus = (script: string) => (detail: number) =>
  `${script} script exited with status ${[1, 2, 3, 126, 127][Math.floor(detail * 5)]}`;

const COMMON: Message[] = [
  () => 'device unreachable: connection timed out',
  () => 'device unreachable: connection refused',
  (detail) => `agent did not answer within ${30 + Math.floor(detail * 90)} s`,
];

const INSTALL: Message[] = [
  exitStatus('install'),
  exitStatus('install'),
  (detail) =>
    `not enough disk space: ${Math.floor(detail * 200)} MiB free, ${250 + Math.floor(detail * 750)} MiB needed`,
  () => 'download failed: checksum mismatch',
  () => 'package database locked by another process',
  () => 'device rebooted during installation',
];

const UNINSTALL: Message[] = [
  exitStatus('uninstall'),
  exitStatus('uninstall'),
  (detail) => `segment files in use by process ${1000 + Math.floor(detail * 30000)}`,
  () => 'device rebooted during removal',
];

/** A failure text an operator would plausibly see from a real platform; two draws pick it. */
export function failureMessage(action: WorkAction, pick: number, detail: number): string {
  const messages = [...COMMON, ...(action === TaskAction.TASK_ACTION_INSTALL ? INSTALL : UNINSTALL)];
  const message = messages[Math.min(messages.length - 1, Math.floor(pick * messages.length))]!;
  return message(detail);
}
