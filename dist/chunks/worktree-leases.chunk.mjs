import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{isLive}from"./core-model.chunk.mjs";async function liveLeases(store){if(!store)return[];let snap=await store.read(),now=Date.now();return snap.leases.filter(l=>isLive(l,now))}export{liveLeases};
