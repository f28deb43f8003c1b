import os,re,sys
def sort_block(s):
    lines=s.split('\n'); i=0
    while i<len(lines) and lines[i].startswith('using '): i+=1
    block=lines[:i]
    if not block: return s
    def name(l): return l[len('using '):].rstrip(';').strip()
    plain=[l for l in block if not re.match(r'using \w+\s*=',l) and not l.startswith('using static')]
    static=[l for l in block if l.startswith('using static')]
    alias=[l for l in block if re.match(r'using \w+\s*=',l)]
    key=lambda l:(0 if re.match(r'System(\.|$)',name(l)) else 1, name(l).split('.'))
    block=sorted(set(plain),key=key)+sorted(set(static),key=lambda l:name(l))+sorted(set(alias),key=lambda l:name(l))
    return '\n'.join(block+lines[i:])
if __name__=='__main__':
    for p in sys.argv[1:]:
        s=open(p).read(); t=sort_block(s)
        if t!=s: open(p,'w').write(t)
