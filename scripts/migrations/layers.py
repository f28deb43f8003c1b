"""Moves a tree cut from the old flat library layout into the layers (docs/architecture.md), rewriting namespaces, usings and qualified names. Usage: python3 scripts/migrations/layers.py REPO. Idempotent; check string literals naming resources afterwards."""
import os,re,sys,subprocess
repo=sys.argv[1]
lib=os.path.join(repo,'src/Repro')
# old namespace -> (new namespace, old folder, new folder)
NS=[
 ('Repro.Domain','Repro.Model','Domain','Model'),
 ('Repro.Findings','Repro.Model.Findings','Findings','Model/Findings'),
 ('Repro.Workspaces','Repro.Model.Workspaces','Workspaces','Model/Workspaces'),
 ('Repro.Serialization','Repro.Model.Serialization','Serialization','Model/Serialization'),
 ('Repro.Diagnostics','Repro.Platform.Diagnostics','Diagnostics','Platform/Diagnostics'),
 ('Repro.Statistics','Repro.Platform.Statistics','Statistics','Platform/Statistics'),
 ('Repro.Interop','Repro.Platform','Interop','Platform'),   # only LibC lives directly in Repro.Interop
 ('Repro.Hashing','Repro.Blobs.Hashing','Hashing','Blobs/Hashing'),
 ('Repro.Storage.Search','Repro.Blobs.Storage.Search','Storage/Search','Blobs/Storage/Search'),
 ('Repro.Storage.Sql','Repro.Blobs.Storage.Sql','Storage/Sql','Blobs/Storage/Sql'),
 ('Repro.Storage','Repro.Blobs.Storage','Storage','Blobs/Storage'),
 ('Repro.Remotes','Repro.Blobs.Remotes','Remotes','Blobs/Remotes'),
 ('Repro.Data','Repro.Blobs.Data','Data','Blobs/Data'),
 ('Repro.Environments','Repro.Capture.Environments','Environments','Capture/Environments'),
 ('Repro.Metrics','Repro.Capture.Metrics','Metrics','Capture/Metrics'),
 ('Repro.Slurm','Repro.Execution','Slurm','Execution'),
 ('Repro.Execution.Slurm','Repro.Execution','Execution/Slurm','Execution'),
 ('Repro.Runs','Repro.Recording','Runs','Recording'),
 ('Repro.Pipelines','Repro.Recording.Pipelines','Pipelines','Recording/Pipelines'),
 ('Repro.Comparison','Repro.Judging.Comparison','Comparison','Judging/Comparison'),
 ('Repro.Diffing','Repro.Judging.Diffing','Diffing','Judging/Diffing'),
 ('Repro.Verification','Repro.Judging.Verification','Verification','Judging/Verification'),
 ('Repro.Studies','Repro.Judging.Studies','Studies','Judging/Studies'),
 ('Repro.Lint','Repro.Checks.Lint','Lint','Checks/Lint'),
 ('Repro.Leakage','Repro.Checks.Leakage','Leakage','Checks/Leakage'),
 ('Repro.Checks','Repro.Checks.Checklist','Checks','Checks/Checklist'),
 ('Repro.Audit','Repro.Checks.Audit','Audit','Checks/Audit'),
 ('Repro.Tracking','Repro.Interop.Tracking','Tracking','Interop/Tracking'),
 ('Repro.Models','Repro.Interop.Models','Models','Interop/Models'),
 ('Repro.Reports','Repro.Evidence.Reports','Reports','Evidence/Reports'),
 ('Repro.Bundles','Repro.Evidence.Bundles','Bundles','Evidence/Bundles'),
]
# single files (by old folder/name) that go to another namespace than their folder's
FILES={
 'Comparison/Verdict.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Comparison/VerdictJsonConverter.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Verification/ExecutionJudgement.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Verification/InputCheck.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Verification/MaskInForce.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Verification/MetricJudgement.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Verification/OutputJudgement.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Verification/VerificationReport.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Diffing/Cause.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Diffing/CausePillar.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Diffing/PrintedJudgement.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Audit/AuditEntry.cs':('Repro.Model','Model'),
 'Comparison/PrintedLine.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Judging/Comparison/PrintedLine.cs':('Repro.Model.Verdicts','Model/Verdicts'),
 'Audit/AuditChain.cs':('Repro.Blobs.Storage','Blobs/Storage'),
 'Checks/Audit/AuditChain.cs':('Repro.Blobs.Storage','Blobs/Storage'),
 'Hashing/ArtifactHasher.cs':('Repro.Blobs.Storage','Blobs/Storage'),
 'Blobs/Hashing/ArtifactHasher.cs':('Repro.Blobs.Storage','Blobs/Storage'),
 'Serialization/ReproJsonContext.cs':('Repro.Catalog','Catalog'),
 'Pipelines/PipelineProject.cs':('Repro.Interop.Dvc','Interop/Dvc'),
 'Slurm/SlurmSeedRunner.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
 'Slurm/SlurmSeedTask.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
 'Slurm/SlurmStudyCommand.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
 'Slurm/SlurmStudyProgress.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
 'Slurm/SlurmStudyRunner.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
 'Slurm/SlurmStudySpec.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
 'Slurm/SlurmStudyStore.cs':('Repro.Judging.Studies.Slurm','Judging/Studies/Slurm'),
}
NEW=set(n for _,n,_,_ in NS)|set(v[0] for v in FILES.values())|{'Repro.Capture','Repro.Execution','Repro.Interop.Dvc','Repro.Checks.Checklist'}
OLDMAP={o:n for o,n,_,_ in NS}
IDENT={'Repro.Capture','Repro.Execution','Repro.Interop.Dvc'}

def git(*a): subprocess.run(['git','-C',repo,*a],check=True,stdout=subprocess.DEVNULL)

def cs_files():
    for top in ['src','tests','bench']:
        for d,dirs,fs in os.walk(os.path.join(repo,top)):
            dirs[:]=[x for x in dirs if x not in ('bin','obj','node_modules')]
            for f in fs:
                if f.endswith('.cs'): yield os.path.join(d,f)

TYPEDECL=re.compile(r'^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial|record|ref)\s+)*(?:class|record|struct|interface|enum)\s+(\w+)',re.M)
types_of={}   # namespace (old or new, as found) -> set of type names
extension_ns=set()
for p in cs_files():
    s0=open(p).read()
    m=re.search(r'^namespace\s+([\w.]+)\s*;',s0,re.M)
    if not m: continue
    types_of.setdefault(m.group(1),set()).update(TYPEDECL.findall(s0))
    if re.search(r'static\s+class',s0) and re.search(r'\(\s*this\s',s0): extension_ns.add(m.group(1))
# 1. type index before moves: type name -> old namespace, for single-file moves
moved_types={}  # type -> (oldns,newns)
moved_from={}  # new path -> old namespace
for rel,(newns,newdir) in FILES.items():
    p=os.path.join(lib,rel)
    if not os.path.exists(p): continue
    s=open(p).read()
    oldns=re.search(r'^namespace\s+([\w.]+)\s*;',s,re.M).group(1)
    for t in re.findall(r'^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial|record|ref)\s+)*(?:class|record|struct|interface|enum)\s+(\w+)',s,re.M):
        moved_types[t]=(oldns,newns)
    moved_from[os.path.join(lib,newdir,os.path.basename(rel))]=oldns

# 2. move single files
for rel,(newns,newdir) in FILES.items():
    p=os.path.join(lib,rel)
    if not os.path.exists(p): continue
    os.makedirs(os.path.join(lib,newdir),exist_ok=True)
    dst=os.path.join(lib,newdir,os.path.basename(rel))
    git('mv',p,dst)
    s=open(dst).read()
    s=re.sub(r'^namespace\s+[\w.]+\s*;',f'namespace {newns};',s,count=1,flags=re.M)
    open(dst,'w').write(s)
# 3. move folders (files directly in old folder; subfolders handled by their own entries)
for old,new,od,nd in NS:
    src=os.path.join(lib,od)
    if not os.path.isdir(src) or od==nd: continue
    for f in sorted(os.listdir(src)):
        p=os.path.join(src,f)
        if os.path.isfile(p):
            os.makedirs(os.path.join(lib,nd),exist_ok=True)
            git('mv',p,os.path.join(lib,nd,f))
            if not f.endswith('.cs'):
                cp=os.path.join(lib,'Repro.csproj'); c=open(cp).read()
                c=c.replace(f'Include="{od}/{f}"',f'Include="{nd}/{f}"'); open(cp,'w').write(c)
# remove empty dirs
for d,dirs,fs in sorted(os.walk(lib),key=lambda x:-len(x[0])):
    if '/bin' in d or '/obj' in d: continue
    if not os.listdir(d): os.rmdir(d)

tok=re.compile(r'\bRepro(?:\.[A-Z]\w*)+')
def remap(m):
    t=m.group(0); parts=t.split('.')
    for k in range(len(parts),1,-1):
        pre='.'.join(parts[:k])
        rest=parts[k:]
        if rest and rest[0] in moved_types and OLDMAP.get(moved_types[rest[0]][0],moved_types[rest[0]][0]) in (pre, OLDMAP.get(pre)) and moved_types[rest[0]][1]!=pre:
            return '.'.join([moved_types[rest[0]][1]]+rest)
        if pre in NEW and pre not in OLDMAP: return t
        if pre in OLDMAP and pre not in IDENT:
            rest=parts[k:]
            # a moved single type keeps its own new namespace
            if rest and rest[0] in moved_types and moved_types[rest[0]][0]==pre:
                return '.'.join([moved_types[rest[0]][1]]+rest)
            return '.'.join([OLDMAP[pre]]+rest)
        if pre in NEW: return t
    return t

SHORT={}
for o,n,_,_ in NS:
    SHORT.setdefault('.'.join(o.split('.')[1:]),o)
rel=re.compile(r'(?<![\w.])(' + '|'.join(sorted(SHORT,key=len,reverse=True)) + r')\.([A-Z]\w*)')
def relfix(m):
    old=SHORT[m.group(1)]; t=m.group(2)
    if t in types_of.get(old,()): 
        if t in moved_types and moved_types[t][0]==old: return moved_types[t][1]+'.'+t
        return OLDMAP[old]+'.'+t
    return m.group(0)
for p in cs_files():
    s=open(p).read(); o=s
    if '/src/' in p or '/tests/' in p or '/bench/' in p:
        lines=s.split('\n')
        s='\n'.join(l if l.startswith('using ') or l.startswith('namespace ') or l.lstrip().startswith('///') else rel.sub(relfix,l) for l in lines)
    # namespace line of files in moved folders: set by folder
    s=tok.sub(remap,s)
    # moved single types: files that reference them and imported (or lived in) the old namespace
    m=re.search(r'^namespace\s+([\w.]+)\s*;',s,re.M); ns=m.group(1) if m else ''
    usings=set(re.findall(r'^using\s+(Repro[\w.]*)\s*;',s,re.M))
    body=re.sub(r'//.*','',s)
    need=set()
    for t,(oldns,newns) in moved_types.items():
        newold=OLDMAP.get(oldns,oldns)
        if newns==ns: continue
        if (newold in usings or newold==ns or oldns in usings) and re.search(r'\b'+t+r'\b',body):
            need.add(newns)
    if p in moved_from:
        o_=moved_from[p]
        if any(re.search(r'\b'+t+r'\b',body) for t in types_of.get(o_,()) if t not in moved_types):
            need.add(OLDMAP.get(o_,o_))
    for n in need-usings:
        if n!=ns: s=re.sub(r'^(namespace\s)', f'using {n};\n\n\\1', s, count=1, flags=re.M) if not re.search(r'^using ',s,re.M) else re.sub(r'^(using [^\n]*;\n)', f'\\1using {n};\n', s, count=1, flags=re.M)
    if s!=o:
        sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); import sortusings; s=sortusings.sort_block(s)
        open(p,'w').write(s)

# prune usings of Repro namespaces none of whose types the file names (namespaces with extension methods are kept)
all_types={}
for p in cs_files():
    s0=open(p).read()
    m=re.search(r'^namespace\s+([\w.]+)\s*;',s0,re.M)
    if m: all_types.setdefault(m.group(1),set()).update(TYPEDECL.findall(s0))
for p in cs_files():
    s=open(p).read(); o=s
    body='\n'.join(l for l in s.split('\n') if not l.startswith('using '))
    for u in re.findall(r'^using\s+(Repro[\w.]*)\s*;',s,re.M):
        if u in {OLDMAP.get(e,e) for e in extension_ns} or u not in all_types: continue
        if not any(re.search(r'\b'+t+r'\b',body) for t in all_types[u]):
            s=re.sub(r'^using\s+'+re.escape(u)+r'\s*;\n','',s,flags=re.M)
    if s!=o: open(p,'w').write(s)
