// A command's workspace: the door (src/workspace) opened where the command acts (`-C <dir>`),
// with its environment and its progress lines on stderr.
import type { CommandContext } from './command.js';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../workspace/open.js';

export function workspaceOf(
  ctx: Pick<CommandContext, 'cwd' | 'env' | 'progress'>,
  opts: Omit<WorkspaceOptions, 'env' | 'progress'> = {},
): Workspace {
  return openWorkspace(ctx.cwd, { env: ctx.env, progress: ctx.progress, ...opts });
}
