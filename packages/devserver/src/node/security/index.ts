/**
 * The security primitives of the dev server, in the order a request meets them: request
 * target (400), Host (400/403), cross-origin headers (CORS, CORP, Fetch Metadata), the
 * file gate for every read, and the websocket upgrade check. Each is created once from
 * the resolved config and is cheap per request. See /work/shared/security.md.
 */
export { checkRequestTarget, type RequestTargetResult } from './requestTarget.js';
export { createHostCheck, createHostCheckMiddleware, parseHostHeader, type HostCheckOptions } from './hostCheck.js';
export {
  createFileGate,
  findDefaultAllowRoot,
  DEFAULT_DENY,
  type FileGate,
  type FileGateOptions,
  type FileGateResult,
} from './fileGate.js';
export { createDenyMatcher, type DenyMatcher } from './denyMatcher.js';
export { createSecurityHeaders, isCrossSiteActiveLoad, type SecurityHeadersOptions } from './headers.js';
export {
  createOriginAllowList,
  isLoopbackOrigin,
  isReadableByRequester,
  isSameOriginRequest,
  normaliseOrigin,
  originMatchesHost,
  type CorsOption,
  type OriginAllowList,
} from './origin.js';
export {
  createToken,
  createUpgradeCheck,
  rejectUpgrade,
  type UpgradeCheck,
  type UpgradeCheckOptions,
  type UpgradeCheckResult,
  type UpgradeRejectStatus,
} from './wsAuth.js';
export { sendPlainText } from './respond.js';
export type { HostCheck, HostCheckResult, NextFunction, SecurityMiddleware } from './types.js';
