import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{require_shell_quote}from"./npm-shell-quote-index.chunk.mjs";import{flag}from"./cli-command.chunk.mjs";import{workspaceOf}from"./cli-workspace.chunk.mjs";import"./workspace-open.chunk.mjs";import"./config-scan.chunk.mjs";import"./git-discover.chunk.mjs";import"./config-schema.chunk.mjs";import"./npm-zod-index.chunk.mjs";import{CONFIG_FILE}from"./config-locate.chunk.mjs";import{writeFileAtomic}from"./platform-atomic-write.chunk.mjs";import"./platform-duration.chunk.mjs";import{JitpError}from"./platform-errors.chunk.mjs";import{__toESM}from"./runtime.chunk.mjs";import{existsSync,mkdirSync,readFileSync,readdirSync}from"node:fs";import{dirname,join,relative}from"node:path";var UNION_ATTRIBUTES=[".jit/events.jsonl merge=union"];function ensureAttributes(existing,want=UNION_ATTRIBUTES){let norm=l=>l.trim().split(/\s+/).join(" "),have=new Set(existing.split(`
`).map(norm)),added=want.filter(w=>!have.has(norm(w))),present=want.filter(w=>have.has(norm(w)));if(!added.length)return{text:existing,added,present};let sep=existing&&!existing.endsWith(`
`)?`
`:"";return{text:`${existing}${sep}${added.join(`
`)}
`,added,present}}var JITP_PERMISSION="Bash(jitp:*)";function lineCol(text,offset){let lines=text.slice(0,Math.max(0,Math.min(offset,text.length))).split(`
`);return{line:lines.length,column:lines[lines.length-1].length+1}}function errorPlace(text,err){let lc=/line (\d+) column (\d+)/.exec(err.message);if(lc)return{line:Number(lc[1]),column:Number(lc[2])};let pos=/position (\d+)/.exec(err.message);return pos?lineCol(text,Number(pos[1])):lineCol(text,text.length)}function addPermissionRules(existing,rules){let data={};if(existing.trim())try{data=JSON.parse(existing)}catch(e){return{ok:!1,...errorPlace(existing,e),message:`not valid JSON: ${e.message.split(`
`)[0]}`}}let bad=(path,what)=>{let key=JSON.stringify(path.split(".").pop()),at=existing.indexOf(key);return{ok:!1,...lineCol(existing,at<0?0:at),message:`${path} ${what}`}};if(data===null||typeof data!="object"||Array.isArray(data))return{ok:!1,line:1,column:1,message:"expected a JSON object ({ \u2026 }) at the top level"};let obj=data,perms=obj.permissions??{};if(perms===null||typeof perms!="object"||Array.isArray(perms))return bad("permissions","must be an object");let allow=perms.allow??[];if(!Array.isArray(allow))return bad("permissions.allow","must be a list of rules");let present=rules.filter(r=>allow.includes(r)),added=rules.filter(r=>!allow.includes(r));return added.length?(obj.permissions={...perms,allow:[...allow,...added]},{ok:!0,text:`${JSON.stringify(obj,null,2)}
`,added,present}):{ok:!0,text:existing,added,present}}var CONFIG_TEMPLATE=`# jit-parallel configuration. Every key is optional; each line below shows the default.
# Uncomment a line to change it. \`jitp config\` prints what applies and where it comes from.

# Edit-time enforcement of leases: strict (deny edits outside the lease), extend (add the
# file to the lease when nobody else holds it), warn (only warn), off.
# policy: extend

# What the hooks do when the lease store or their input cannot be read: open (allow) or closed.
# failure: open

# Default lease time to live: seconds, or 90s, 30m, 2h, 1d.
# ttl: 1800

# Issue source: auto (the jit store in .jit/ when present, else the task folder when present,
# else GitHub issues when origin is on GitHub and gh is installed, else task files), jit,
# tasks or github.
# source: auto

# Folder of task files (*.md with front matter: id, title, state, depends_on, files, risk).
# tasksDir: .jit-parallel/tasks

# GitHub issues through the gh CLI (source: github).
# github:
#   repo: null    # owner/name passed to gh as --repo; null: gh picks it from the git remotes
#   limit: 500    # most open issues read per command

# Git remote for leases shared across machines; null keeps leases local to this clone.
# remote: null
# remoteMirrorMaxAge: 60
# remoteTimeout: 20

# The planner.
# plan:
#   hotFiles: []          # files most issues touch (lockfiles, registries): never run in parallel
#   ignore: []            # globs the planner never predicts
#   historyDepth: 500     # commits of history read for co-change
#   maxFilesPerIssue: 40
#   maxParallel: 4

# The project's test command (null: detected from package.json, Cargo.toml, ...).
# test:
#   command: null

# Commit messages.
# commit:
#   coAuthor: "Claude <noreply@anthropic.com>"   # null: no Co-Authored-By trailer
#   conventional: false

# Worktree mode.
# worktree:
#   dir: "../{repo}.worktrees"      # {repo}: the repository folder's name; relative to the root
#   branch: "jit/{short}-{slug}"    # also {id}, {base}
#   include: []                     # extra untracked files to copy (besides .worktreeinclude)
#   postCreate: null                # shell command run in each new worktree
#   base: HEAD

# The merge queue (jitp merge).
# merge:
#   strategy: consolidated          # or individual (one pull request per branch)
#   test: null                      # test command between merges (null: test.command, else detected)

# Headless agents (jitp spawn).
# spawn:
#   maxParallel: 4
#   agentCmd: null
`;var import_shell_quote=__toESM(require_shell_quote(),1),EXAMPLE_TASK=`---
id: example
title: Example task (edit or delete me)
state: ready
priority: normal
files:
  - README.md
---
# Example task (edit or delete me)

A task file is one issue for jit-parallel: front matter (\`id\`, \`title\`, \`state\`,
\`depends_on\`, \`files\`, \`risk\`) and a Markdown body the sub-agent reads as its instructions.
\`jitp issues\` lists the tasks in this folder; \`/jit-parallel example other-task\` works two at
once. Copy this file for each task, then delete it.

## Acceptance criteria
- [ ] README.md says what this repository is for.
`,read=file=>{try{return readFileSync(file,"utf8")}catch(e){let err=e;if(err.code==="ENOENT")return;throw new JitpError("E_PATH_EXISTS",`${file} is not a readable file (${err.code??err.message})`,{hint:"move it away (or fix its permissions), then run `jitp init` again; nothing was changed"})}},command={name:"init",summary:"Set the repository up for jit-parallel: example task, commented config, merge line, permission",usage:"jitp init [--no-example] [--json]",help:["Writes what a repository needs, at the main checkout root; never overwrites a file, safe to run again","(a second run changes nothing and says so):","  .gitattributes              `.jit/events.jsonl merge=union` added (branches that each appended jit","                              events merge without conflicts; readers count each event id once)","  .jit-parallel.yaml          every option with its default, commented out (created only when absent)","  <tasksDir>/example.md       an example task in the task-file format, so `jitp issues` lists it","                              (not with --no-example, not when .jit/ or GitHub issues are the source,","                              not when the folder already holds tasks)","  .claude/settings.json       `Bash(jitp:*)` added to permissions.allow, every other key kept, so","                              `jitp` never asks for approval (the client applies a project settings","                              file once you trusted the folder; inside the plugin's skills their","                              `allowed-tools` already allow it). A file that is not valid JSON is","                              refused with its line and column, and nothing at all is written.","Commit the files afterwards (the output gives the command).","",'JSON: {"root": path, "changed": bool, "steps": [{"what": "gitattributes"|"config"|"example-task"|','       "claude-settings", "path": repo-relative, "action": "created"|"updated"|"unchanged"|"skipped",','       "detail": text}], "commit": [path] (the files to commit)}',"Exit codes: 0 ok (changed or not), 2 one of these paths is a folder or unreadable, 7 not a git","repository, 8 .claude/settings.json is not valid JSON (or permissions / permissions.allow has the wrong","type)."].join(`
`),options:{"no-example":{type:"boolean",description:"Do not write the example task file"}},positionals:{max:0},async run(ctx){let ws=workspaceOf(ctx),root=ws.mainRoot,rel=p=>relative(root,p).split("\\").join("/"),writes=[],steps=[],settingsFile=join(root,".claude","settings.json"),settingsText=read(settingsFile),merged=addPermissionRules(settingsText??"",[JITP_PERMISSION]);if(!merged.ok)throw new JitpError("E_CONFIG",`${settingsFile}, line ${merged.line}, column ${merged.column}: ${merged.message}`,{hint:`fix ${settingsFile} (or move it away), then run \`jitp init\` again; nothing was changed (or add "${JITP_PERMISSION}" to permissions.allow yourself)`,details:{file:settingsFile,line:merged.line,column:merged.column}});merged.added.length&&writes.push({file:settingsFile,text:merged.text}),steps.push({what:"claude-settings",path:rel(settingsFile),action:merged.added.length?settingsText===void 0?"created":"updated":"unchanged",detail:merged.added.length?`permissions.allow += ${JITP_PERMISSION} (jitp runs without asking once the folder is trusted)`:`permissions.allow already has ${JITP_PERMISSION}`});let attrFile=join(root,".gitattributes"),attrText=read(attrFile),attrs=ensureAttributes(attrText??"");attrs.added.length&&writes.push({file:attrFile,text:attrs.text}),steps.push({what:"gitattributes",path:".gitattributes",action:attrs.added.length?attrText===void 0?"created":"updated":"unchanged",detail:attrs.added.length?`added ${attrs.added.join(", ")}`:`already has ${attrs.present.join(", ")}`});let configFile=join(root,CONFIG_FILE),configExists=read(configFile)!==void 0;configExists||writes.push({file:configFile,text:CONFIG_TEMPLATE}),steps.push({what:"config",path:CONFIG_FILE,action:configExists?"unchanged":"created",detail:configExists?"exists; left as it is (`jitp config` shows what applies)":"every option with its default, commented out"}),steps.push(await exampleStep(ws,flag(ctx.args.values["no-example"]),rel,writes));for(let w of writes)mkdirSync(dirname(w.file),{recursive:!0}),writeFileAtomic(w.file,w.text);let changed=steps.filter(s=>s.action==="created"||s.action==="updated").map(s=>s.path),lines=steps.map(s=>`${s.action.padEnd(9)} ${s.path.padEnd(32)} ${s.detail}`);return lines.push("",changed.length?`commit them: ${(0,import_shell_quote.quote)(["git","-C",root,"add","--",...changed])} && git -C ${(0,import_shell_quote.quote)([root])} commit -m "jit-parallel: init"`:"nothing to do: this repository is already set up (a second `jitp init` changes nothing)"),{json:{root,changed:changed.length>0,steps,commit:changed},text:lines.join(`
`)}}};async function exampleStep(ws,noExample,rel,writes){let tasksDir=".jit-parallel/tasks",kind;try{tasksDir=(await ws.main().config()).tasksDir.replace(/\/+$/,""),kind=await ws.main().sourceKind()}catch(e){let why=e instanceof JitpError?e.message:String(e);return{what:"example-task",path:`${tasksDir}/example.md`,action:"skipped",detail:`config: ${why}`}}let file=join(ws.mainRoot,tasksDir,"example.md"),step=(action,detail)=>({what:"example-task",path:rel(file),action,detail});if(noExample)return step("skipped","--no-example");if(existsSync(file))return step("unchanged","exists; left as it is");if(kind==="jit")return step("skipped","the jit store in .jit/ is the issue source");if(kind==="github")return step("skipped","GitHub issues are the issue source (gh)");let names=[];try{names=readdirSync(join(ws.mainRoot,tasksDir)).filter(n=>n.endsWith(".md")&&!n.startsWith("."))}catch{}return names.length?step("skipped",`${tasksDir} already holds ${names.length} task file(s)`):(writes.push({file,text:EXAMPLE_TASK}),step("created","an example task: `jitp issues` lists it"))}export{EXAMPLE_TASK,command};
