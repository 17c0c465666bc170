import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{workspaceOf}from"./cli-workspace.chunk.mjs";import"./workspace-open.chunk.mjs";import"./config-scan.chunk.mjs";import"./git-discover.chunk.mjs";import"./config-locate.chunk.mjs";import{writeFileAtomic}from"./platform-atomic-write.chunk.mjs";import"./platform-duration.chunk.mjs";import"./platform-errors.chunk.mjs";import"./runtime.chunk.mjs";import{readFileSync}from"node:fs";import{join}from"node:path";var UNION_ATTRIBUTES=[".jit/events.jsonl merge=union"];function ensureAttributes(existing,want=UNION_ATTRIBUTES){let norm=l=>l.trim().split(/\s+/).join(" "),have=new Set(existing.split(`
`).map(norm)),added=want.filter(w=>!have.has(norm(w))),present=want.filter(w=>have.has(norm(w)));if(!added.length)return{text:existing,added,present};let sep=existing&&!existing.endsWith(`
`)?`
`:"";return{text:`${existing}${sep}${added.join(`
`)}
`,added,present}}var command={name:"init",summary:"Prepare the repository: union merge for append-only logs in .gitattributes",usage:"jitp init [--json]",help:["Adds `.jit/events.jsonl merge=union` to .gitattributes at the repository root (kept if already","there), so branches that each appended events merge without conflicts; jitp readers count each","event id once. Idempotent. Commit the file afterwards (the output says how).","",'JSON: {"file": path, "added": [line], "present": [line]}',"Exit codes: 0 ok, 7 not a git repository."].join(`
`),positionals:{max:0},async run(ctx){let root=workspaceOf(ctx).mainRoot,file=join(root,".gitattributes"),existing="";try{existing=readFileSync(file,"utf8")}catch(e){if(e.code!=="ENOENT")throw e}let r=ensureAttributes(existing);r.added.length&&writeFileAtomic(file,r.text);let text=r.added.length?`added to ${file}:
${r.added.map(l=>`  ${l}`).join(`
`)}
commit it: git add .gitattributes && git commit -m "jit-parallel: union merge for append-only logs"`:`${file} already has ${r.present.join(", ")}`;return{json:{file,added:r.added,present:r.present},text}}};export{command};
