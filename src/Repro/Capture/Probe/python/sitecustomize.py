# The repro probe, put first on PYTHONPATH by `repro run`, `repro verify` and `repro seeds`.
# It installs one import hook (the work is done in _repro_probe, loaded only when a library it
# watches is first imported), then runs the interpreter's own sitecustomize, as Python would have.
import os as _repro_os
import sys as _repro_sys


class _ReproProbeFinder(object):
    """Acts once as each watched library is first imported; finds nothing itself."""

    watched = frozenset((
        'random', 'numpy', 'torch', 'sklearn.base', 'sklearn.model_selection._split',
    ))

    def __init__(self):
        self.busy = set()

    def find_spec(self, name, path=None, target=None):
        if name not in self.watched or name in self.busy:
            return None
        self.busy.add(name)
        try:
            spec = None
            for finder in _repro_sys.meta_path:
                if finder is self:
                    continue
                find = getattr(finder, 'find_spec', None)
                if find is None:
                    continue
                spec = find(name, path, target)
                if spec is not None:
                    break
        finally:
            self.busy.discard(name)
        loader = spec.loader if spec is not None else None
        if loader is None or isinstance(loader, type) or not hasattr(loader, 'exec_module'):
            return spec
        original = loader.exec_module

        def exec_module(module):
            original(module)
            try:
                import _repro_probe
                _repro_probe.imported(name, module)
            except Exception:
                pass

        try:
            loader.exec_module = exec_module
        except Exception:
            pass
        return spec


def _repro_install():
    if not _repro_os.environ.get('REPRO_PROBE_TRACE'):
        return
    try:
        finder = _ReproProbeFinder()
        _repro_sys.meta_path.insert(0, finder)
        already = [n for n in finder.watched if n in _repro_sys.modules]
        if already:
            import _repro_probe
            for name in sorted(already):
                _repro_probe.imported(name, _repro_sys.modules[name])
    except Exception:
        pass


def _repro_chain():
    """The interpreter's own sitecustomize (Debian ships one), found on sys.path past this folder."""
    here = _repro_os.path.dirname(_repro_os.path.abspath(__file__))
    try:
        from importlib.machinery import PathFinder
        path = [p for p in _repro_sys.path if _repro_os.path.abspath(p or '.') != here]
        spec = PathFinder.find_spec('sitecustomize', path)
    except Exception:
        return
    if spec is None or spec.loader is None:
        return
    try:
        import importlib.util
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as error:
        # What site.py itself prints when a sitecustomize fails.
        print('Error in sitecustomize; set PYTHONVERBOSE for traceback:\n%s: %s' % (type(error).__name__, error), file=_repro_sys.stderr)


_repro_install()
_repro_chain()
