#!/usr/bin/python3
"""Where a .NET server's CPU goes, from `perf script -F comm,tid,ip,sym,dso` on stdin (standard library only).

Record with the runtime's perf map, e.g. for `HpcTune serve` under the bench's `service` command:
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 dotnet HpcTune.Bench.dll service ... &
  perf record -F 499 -g -p SERVER_PID -o perf.data -- sleep 8
  perf script -i perf.data -F comm,tid,ip,sym,dso | python3 bench/perf-classify.py
Prints each sample's leaf frame by part (kernel time by the system call that entered it) and, inclusive, the share of
samples with a part's frames anywhere on the stack (async continuations lose their callers: read it as a lower bound).
"""
import sys, re, collections
# perf script output: header line per sample, then frames "\t addr sym (dso)", blank line between samples.
samples=[]; cur=None
for line in sys.stdin:
    if not line.strip():
        if cur is not None: samples.append(cur); cur=None
        continue
    if not line.startswith((' ','\t')):
        cur=[]; continue
    parts=line.strip().split(' ',1)
    rest=parts[1] if len(parts)>1 else ''
    m=re.match(r'(.*) \((.*)\)$', rest)
    sym,dso=(m.group(1),m.group(2)) if m else (rest,'')
    cur.append((sym,dso))
if cur: samples.append(cur)
n=len(samples)
def leafcat(fr):
    sym,dso=fr[0]
    if 'kernel' in dso:
        for s,d in fr:
            if 'kernel' not in d:
                u=s
                if 'doublemapper' in d or d.startswith('[JIT]') or 'perf-' in d: u='managed'
                return 'kernel via '+re.sub(r'\+0x.*','',u)[:40]
        return 'kernel (no user frame)'
    if 'libclrjit' in dso: return 'JIT compiler'
    if 'libcoreclr' in dso:
        return 'runtime (libcoreclr: GC, stubs, thread pool)'
    if 'libc.so' in dso: return 'libc '+re.sub(r'\+0x.*','',sym)[:30]
    m=re.search(r'\[([A-Za-z0-9_.]+)\] ([A-Za-z0-9_.]+)', sym)
    if m:
        asm,ns=m.group(1),m.group(2)
        if asm.startswith('Microsoft.AspNetCore.Server.Kestrel'): return 'Kestrel (HTTP/1.1 parsing, pipes)'
        if asm.startswith('System.IO.Pipelines'): return 'Kestrel (HTTP/1.1 parsing, pipes)'
        if asm.startswith('Grpc.AspNetCore.Web') or 'GrpcWeb' in sym: return 'gRPC-Web framing'
        if 'JsonTranscoding' in asm or 'JsonTranscoding' in sym: return 'JSON transcoding'
        if asm.startswith('Grpc'): return 'gRPC server (call handlers, interceptors)'
        if asm.startswith('Google.Protobuf'): return 'protobuf (de)serialization'
        if asm.startswith('Microsoft.AspNetCore') or asm.startswith('Microsoft.Extensions'): return 'ASP.NET Core (routing, hosting, middleware)'
        if asm=='HpcTune.Service': return 'HpcTune.Service (calls, conversion)'
        if asm=='HpcTune.Core':
            if ns.startswith('HpcTune.Journal'): return 'HpcTune journal (encode, checksum, write)'
            return 'HpcTune tuner + hub ('+ns+')'
        if asm=='System.Private.CoreLib':
            if 'Threading' in sym: return 'CoreLib threading (thread pool, tasks, locks)'
            if 'Text.Json' in sym or 'Json' in ns: return 'System.Text.Json'
            return 'CoreLib other (casts, strings, collections)'
        if asm.startswith('System.Text.Json'): return 'System.Text.Json'
        if asm.startswith('System.Net'): return 'System.Net (sockets)'
        return 'other managed ['+asm+']'
    if sym.startswith('stub') : return 'runtime stubs'
    return 'other ('+dso[:30]+')'
c=collections.Counter(leafcat(s) for s in samples)
print(f"{n} samples; self time by part:")
for k,v in c.most_common(30): print(f"  {100*v/n:5.1f}%  {k}")
incl={
    'Kestrel': r'Kestrel',
    'JSON transcoding': r'JsonTranscoding',
    'gRPC call handler': r'Grpc\.AspNetCore\.Server',
    'StudiesService.Suggest': r'StudiesService.*Suggest|SuggestCall',
    'StudiesService.Observe': r'StudiesService.*Observe|RecordAsync',
    'Tuner (under or entering its lock)': r'HpcTune\.Tuning\.Tuner::',
    'contention on a Lock': r'Lock::TryEnterSlow',
    'JournalWriter.Write (encode + pwrite)': r'JournalWriter::Write',
    'pwrite': r'pwrite',
    'fsync': r'fsync',
    'thread-pool workers spinning for work': r'LowLevelLifoSemaphore|LowLevelSpinWaiter',
    'ASP.NET file watcher': r'FileSystemWatcher|PhysicalFilesWatcher',
    'protobuf': r'Google\.Protobuf',
    'ProtoConvert': r'ProtoConvert',
    'bearer token check': r'BearerToken',
    'JIT compiler': r'libclrjit',
}
print("inclusive (a frame of the part anywhere in the stack; async continuations lose their callers):")
for k,p in incl.items():
    r=re.compile(p); v=sum(1 for s in samples if any(r.search(f[0]) or r.search(f[1]) for f in s))
    print(f"  {100*v/n:5.1f}%  {k}")
