import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{mirrorPath,readMirror}from"./remote-mirror-read.chunk.mjs";import{writeFileAtomic}from"./platform-atomic-write.chunk.mjs";function writeMirror(storeDir,m){let cur=readMirror(storeDir,m.remote);if(cur&&(cur.version>m.version||cur.version===m.version&&Date.parse(cur.fetchedAt)>Date.parse(m.fetchedAt)))return;let file=mirrorPath(storeDir,m.remote);writeFileAtomic(file,`${JSON.stringify(m,null,1)}
`,{mkdir:!0})}export{writeMirror};
