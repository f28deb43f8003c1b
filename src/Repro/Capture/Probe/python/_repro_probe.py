# The repro probe's core: seeds, silent choices and a trace of fingerprints, written as JSON
# lines to the file REPRO_PROBE_TRACE names. Standard library only (Python 3.8+). It never draws a
# random number, never imports a library the script did not import (it uses a library only once
# the script has imported it), and never lets a failure of its own reach the script: a failure
# becomes a "warning" event in the trace, which repro turns into a warning on the run.
import os
import sys

TRACE = os.environ.get('REPRO_PROBE_TRACE')


def _int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


SEED = os.environ.get('REPRO_PROBE_SEED')
SEED = int(SEED) if SEED not in (None, '') and SEED.lstrip('-').isdigit() else None
EVERY = max(1, _int('REPRO_PROBE_EVERY', 100))
MAX_EVENTS = _int('REPRO_PROBE_MAX_EVENTS', 20000)
MAX_BYTES = _int('REPRO_PROBE_MAX_BYTES', 8 << 20)
BUDGET = _int('REPRO_PROBE_BUDGET', 64 << 20)
MAX_WARNINGS = 20
_OBJECT_GETSTATE = getattr(object, '__getstate__', None)
MAX_DEPTH = 8
FIT_METHODS = ('fit', 'partial_fit', 'fit_transform', 'fit_predict')
METHODS = FIT_METHODS + ('transform', 'predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'score')

_json = None
_hashlib = None
_fd = None
_pid = None
_seq = 0
_events = 0
_bytes = 0
_dropped_events = 0
_dropped_bytes = 0
_warnings = 0
_threads_done = False
_torch_steps = {}
_estimators_seen = set()
_classes_seen = set()
_exit_registered = False

try:
    import _thread
    _local = _thread._local()
except Exception:  # pragma: no cover
    class _Local(object):
        pass
    _local = _Local()


def _reset_for(pid):
    """A forked child starts its own counts and bounds."""
    global _pid, _seq, _events, _bytes, _dropped_events, _dropped_bytes, _warnings, _threads_done, _estimators_seen, _torch_steps, _classes_seen
    _pid = pid
    _seq = 0
    _events = _bytes = _dropped_events = _dropped_bytes = _warnings = 0
    _threads_done = False
    _estimators_seen = set()
    _classes_seen = set()
    _torch_steps = {}


def _emit(event, bounded=True):
    """Appends one event (one line, one write) to the trace; never raises."""
    global _json, _fd, _seq, _events, _bytes, _dropped_events, _dropped_bytes
    try:
        pid = os.getpid()
        if pid != _pid:
            _reset_for(pid)
            _start()
        if _json is None:
            import json
            # One encoder for every event: json.dumps with options builds a new one per call.
            _json = json.JSONEncoder(separators=(',', ':'), default=str, allow_nan=True)
        event['pid'] = pid
        event['seq'] = _seq
        _seq += 1
        data = (_json.encode(event) + '\n').encode('utf-8', 'replace')
        if bounded and (_events >= MAX_EVENTS or _bytes + len(data) > MAX_BYTES):
            _dropped_events += 1
            _dropped_bytes += len(data)
            return
        if _fd is None:
            _fd = os.open(TRACE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.write(_fd, data)
        _events += 1
        _bytes += len(data)
    except Exception:
        pass


def _start():
    """The first event of each process: who it is (its parent ties a child to the run)."""
    global _exit_registered
    _emit({'t': 'start', 'ppid': os.getppid(), 'python': '%d.%d.%d' % sys.version_info[:3], 'seed': SEED, 'every': EVERY, 'budget': BUDGET}, bounded=False)
    if not _exit_registered:
        _exit_registered = True
        try:
            import atexit
            atexit.register(_at_exit)
        except Exception:
            pass


def _warn(where, error):
    global _warnings
    if _warnings >= MAX_WARNINGS:
        return
    _warnings += 1
    _emit({'t': 'warning', 'msg': ('%s: %s: %s' % (where, type(error).__name__, error))[:300]}, bounded=False)


def _safe(where, fn, *args):
    try:
        return fn(*args)
    except Exception as error:
        _warn(where, error)
        return None


def _at_exit():
    if os.getpid() != _pid:
        return
    if not _threads_done and ('numpy' in sys.modules or 'torch' in sys.modules):
        _safe('thread pools', _threads)
    if 'torch' in sys.modules:
        _safe('torch switches', _torch_switches, sys.modules['torch'])
    _emit({'t': 'end', 'events': _events, 'bytes': _bytes, 'dropped_events': _dropped_events, 'dropped_bytes': _dropped_bytes}, bounded=False)


# ---------------------------------------------------------------- fingerprints

def _sha():
    global _hashlib
    if _hashlib is None:
        import hashlib
        _hashlib = hashlib
    return _hashlib.sha256()


def _text_sha(text):
    h = _sha()
    h.update(text.encode('utf-8', 'replace'))
    return h.hexdigest()


def fingerprint(value, depth=0):
    """SHA-256 over kind, dtype, shape and bytes: shapes and hashes only, never values."""
    memo = getattr(_local, 'memo', None)
    if memo is not None and depth == 0 and not isinstance(value, (bool, int, float, str, type(None))):
        # Inside one call the script made, the same array handed to its inner calls (a forest's
        # trees) is hashed once; the memo holds the array, so its id cannot be reused meanwhile.
        known = memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        result = _fingerprint(value, depth)
        memo[id(value)] = (value, result)
        return result
    return _fingerprint(value, depth)


def _fingerprint(value, depth):
    h = _sha()
    out = {}
    partial = _feed(h, value, out, depth)
    out['sha256'] = h.hexdigest()
    if partial:
        out['partial'] = True
    return out


def _feed(h, value, out, depth):
    """Feeds value into h; fills out's kind/dtype/shape when unset; returns whether it was cut at the budget."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        out.setdefault('k', 'scalar' if not isinstance(value, (str, bytes)) or len(value) < 256 else type(value).__name__)
        text = value if isinstance(value, bytes) else repr(value).encode('utf-8', 'replace')
        h.update(b'scalar|' + type(value).__name__.encode() + b'|')
        h.update(text[:BUDGET])
        return len(text) > BUDGET
    np = sys.modules.get('numpy')
    if np is not None:
        if isinstance(value, np.ndarray):
            return _feed_array(h, value, out, np)
        if isinstance(value, np.generic):
            out.setdefault('k', 'scalar')
            h.update(b'npscalar|' + value.dtype.str.encode() + b'|')
            h.update(value.tobytes())
            return False
    pd = sys.modules.get('pandas')
    if pd is not None:
        if isinstance(value, pd.DataFrame):
            return _feed_frame(h, value, out, np)
        if isinstance(value, pd.Series):
            out.setdefault('k', 'series')
            out.setdefault('shape', [int(value.shape[0])])
            h.update(('series|%s|%s|' % (value.name, value.dtype)).encode('utf-8', 'replace'))
            partial = _feed_index(h, value.index, np)
            return _feed_array(h, value.to_numpy(), {}, np) or partial
    torch = sys.modules.get('torch')
    if torch is not None:
        if isinstance(value, torch.Tensor):
            return _feed_tensor(h, value, out, torch)
        nn = getattr(torch, 'nn', None)
        if nn is not None and isinstance(value, nn.Module):
            out.setdefault('k', 'module')
            h.update(b'module|' + type(value).__name__.encode() + b'|')
            return _feed(h, value.state_dict(), {}, depth + 1)
    sparse = sys.modules.get('scipy.sparse')
    if sparse is not None and np is not None and sparse.issparse(value):
        out.setdefault('k', 'sparse')
        out.setdefault('shape', [int(n) for n in value.shape])
        matrix = value if value.format in ('csr', 'csc') else value.tocsr()
        h.update(('sparse|%s|%s|' % (matrix.format, matrix.shape)).encode())
        partial = False
        for part in (matrix.data, matrix.indices, matrix.indptr):
            partial = _feed_array(h, part, {}, np) or partial
        return partial
    if depth >= 10:
        out.setdefault('k', 'object')
        h.update(b'deep|' + type(value).__name__.encode())
        return False
    if isinstance(value, (list, tuple)):
        out.setdefault('k', type(value).__name__)
        out.setdefault('shape', [len(value)])
        h.update(('%s|%d|' % (type(value).__name__, len(value))).encode())
        partial = False
        for item in value[:100000]:
            partial = _feed(h, item, {}, depth + 1) or partial
        return partial or len(value) > 100000
    if isinstance(value, dict):
        out.setdefault('k', 'dict')
        out.setdefault('shape', [len(value)])
        h.update(('dict|%d|' % len(value)).encode())
        partial = False
        for key in list(value)[:10000]:
            h.update(repr(key).encode('utf-8', 'replace') + b'=')
            partial = _feed(h, value[key], {}, depth + 1) or partial
        return partial
    if _is_estimator(value):
        out.setdefault('k', 'estimator')
        memo = getattr(_local, 'memo', None)
        known = memo.get(('state', id(value))) if memo is not None else None
        state = known[1] if known is not None and known[0] is value else _state(value, depth + 1)
        h.update(state['sha256'].encode())
        return bool(state.get('partial'))
    # An object that says what its state is (a fitted tree's nodes): that state.
    getstate = getattr(type(value), '__getstate__', None)
    if getstate is not None and getstate is not _OBJECT_GETSTATE and not isinstance(value, type):
        state = getstate(value)
        if isinstance(state, (dict, tuple, list)):
            out.setdefault('k', 'object')
            h.update(b'state|' + _qualname(type(value)).encode() + b'|')
            return _feed(h, state, {}, depth + 1)
    # Anything else is compared by its type only (iterators are never consumed).
    out.setdefault('k', 'object')
    out['opaque'] = type(value).__name__
    h.update(b'object|' + _qualname(type(value)).encode())
    return False


def _feed_array(h, array, out, np):
    shape = [int(n) for n in array.shape]
    out.setdefault('k', 'ndarray')
    out.setdefault('dtype', array.dtype.str)
    out.setdefault('shape', shape)
    h.update(('ndarray|%s|%s|' % (array.dtype.str, tuple(shape))).encode())
    if array.dtype.hasobject:
        # Objects (strings of a DataFrame column): their text, up to the budget.
        taken = 0
        for item in array.reshape(-1):
            text = repr(item).encode('utf-8', 'replace') + b'\x00'
            taken += len(text)
            if taken > BUDGET:
                return True
            h.update(text)
        return False
    partial = False
    if not array.flags.c_contiguous:
        if array.nbytes > BUDGET and array.ndim > 0 and array.shape[0] > 0:
            rows = max(1, BUDGET // max(1, array.nbytes // array.shape[0]))
            partial = rows < array.shape[0]
            array = array[:rows]
        array = np.ascontiguousarray(array)
    if array.nbytes == 0:
        return partial
    view = memoryview(array.reshape(-1).view(np.uint8))
    if view.nbytes > BUDGET:
        h.update(view[:BUDGET])
        return True
    h.update(view)
    return partial


def _feed_index(h, index, np):
    pd = sys.modules.get('pandas')
    if pd is not None and isinstance(index, pd.RangeIndex):
        h.update(('range|%d|%d|%d|' % (index.start, index.stop, index.step)).encode())
        return False
    return _feed_array(h, np.asarray(index), {}, np)


def _feed_frame(h, frame, out, np):
    out.setdefault('k', 'dataframe')
    out.setdefault('shape', [int(n) for n in frame.shape])
    h.update(('dataframe|%d|%d|' % frame.shape).encode())
    for name, dtype in zip(frame.columns, frame.dtypes):
        h.update(('%r:%s|' % (name, dtype)).encode('utf-8', 'replace'))
    partial = _feed_index(h, frame.index, np)
    for i in range(frame.shape[1]):
        partial = _feed_array(h, frame.iloc[:, i].to_numpy(), {}, np) or partial
    return partial


def _feed_tensor(h, tensor, out, torch):
    shape = [int(n) for n in tensor.shape]
    out.setdefault('k', 'tensor')
    out.setdefault('dtype', str(tensor.dtype).replace('torch.', ''))
    out.setdefault('shape', shape)
    h.update(('tensor|%s|%s|' % (tensor.dtype, tuple(shape))).encode())
    t = tensor.detach()
    if t.is_sparse or t.is_quantized:
        out['opaque'] = 'sparse or quantized tensor'
        return False
    if t.device.type != 'cpu':
        t = t.cpu()
    if not t.is_contiguous():
        t = t.contiguous()
    size = t.element_size() * t.nelement()
    if size == 0:
        return False
    take = min(size, BUDGET)
    ctypes = sys.modules.get('ctypes')
    if ctypes is not None:
        # The tensor's own memory, read in place (no copy).
        buffer = (ctypes.c_char * take).from_address(t.data_ptr())
        h.update(memoryview(buffer))
    else:
        h.update(bytes(t.reshape(-1).view(torch.uint8)[:take].tolist()))
    return take < size


def _is_estimator(value):
    return not isinstance(value, type) and hasattr(value, 'get_params') and hasattr(value, 'fit')


def _qualname(cls):
    return '%s.%s' % (getattr(cls, '__module__', '?'), getattr(cls, '__qualname__', getattr(cls, '__name__', '?')))


def _learned(value, key):
    if key.endswith('_') and not key.startswith('_'):
        return True
    if _is_estimator(value):
        return True
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, tuple) and v and any(_is_estimator(x) for x in v) for v in value[:50]):
        return True
    return False


def _state(estimator, depth=0):
    """The fitted state: every learned attribute (name ending in _), nested estimators included."""
    h = _sha()
    parts = {}
    partial = False
    try:
        attributes = vars(estimator)
    except TypeError:
        attributes = {}
    h.update(_qualname(type(estimator)).encode() + b'|')
    for key in sorted(attributes):
        value = attributes[key]
        if not _learned(value, key):
            continue
        sub = _sha()
        partial = _feed(sub, value, {}, depth + 1) or partial
        digest = sub.hexdigest()
        h.update(key.encode() + b'=' + digest.encode() + b'|')
        if len(parts) < 50:
            parts[key] = digest[:16]
    booster = attributes.get('_Booster')
    if booster is not None and hasattr(booster, 'save_raw'):
        try:
            raw = bytes(booster.save_raw())
            sub = _sha()
            sub.update(raw[:BUDGET])
            partial = partial or len(raw) > BUDGET
            digest = sub.hexdigest()
            h.update(b'booster=' + digest.encode())
            parts['booster'] = digest[:16]
        except Exception as error:
            _warn('booster state', error)
    result = {'k': 'state', 'sha256': h.hexdigest(), 'parts': parts}
    if partial:
        result['partial'] = True
    return result


# ---------------------------------------------------------------- seeds and RNG starts

def imported(name, module):
    """Called by the import hook right after a watched module ran."""
    if os.getpid() != _pid:
        _reset_for(os.getpid())
        _start()
    hook = _HOOKS.get(name)
    if hook is not None:
        _safe(name, hook, module)


def _on_random(random):
    if SEED is not None:
        random.seed(SEED)
        _emit({'t': 'seed', 'lib': 'random', 'seed': SEED})
    else:
        _emit({'t': 'rng', 'lib': 'random', 'state': _text_sha(repr(random.getstate()))})


def _on_numpy(np):
    legacy = getattr(np, 'random', None)
    if legacy is None:
        return
    if SEED is not None:
        seed = SEED % (2 ** 32)
        legacy.seed(seed)
        _emit({'t': 'seed', 'lib': 'numpy', 'seed': seed})
    else:
        state = legacy.get_state()
        h = _sha()
        h.update(state[1].tobytes())
        h.update(repr(state[2:]).encode())
        _emit({'t': 'rng', 'lib': 'numpy', 'state': h.hexdigest()})


def _on_torch(torch):
    if SEED is not None:
        seed = SEED % (2 ** 63)
        torch.manual_seed(seed)
        _emit({'t': 'seed', 'lib': 'torch', 'seed': seed})
        cuda = getattr(torch, 'cuda', None)
        if cuda is not None and cuda.is_available():
            cuda.manual_seed_all(seed)
            _emit({'t': 'seed', 'lib': 'torch.cuda', 'seed': seed})
    else:
        _emit({'t': 'rng', 'lib': 'torch', 'state': _text_sha(repr(torch.initial_seed()))})
    optim = getattr(torch, 'optim', None)
    optimizer = getattr(optim, 'Optimizer', None)
    if optimizer is not None and not getattr(optimizer.__init__, '__repro_probe__', False):
        original_init = optimizer.__init__

        def __init__(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            _safe('optimizer', _wrap_optimizer, self)

        __init__.__repro_probe__ = True
        __init__.__wrapped__ = original_init
        optimizer.__init__ = __init__
    save = getattr(torch, 'save', None)
    if save is not None and not getattr(save, '__repro_probe__', False):
        def torch_save(obj, *args, **kwargs):
            result = save(obj, *args, **kwargs)
            _safe('torch.save', _record_save, obj)
            return result

        torch_save.__repro_probe__ = True
        torch_save.__wrapped__ = save
        torch_save.__name__ = 'save'
        torch_save.__doc__ = save.__doc__
        torch.save = torch_save


def _params_fingerprint(optimizer):
    h = _sha()
    count = 0
    partial = False
    for group in optimizer.param_groups:
        for parameter in group.get('params', ()):
            count += 1
            partial = _feed(h, parameter, {}, 1) or partial
    result = {'k': 'params', 'shape': [count], 'sha256': h.hexdigest()}
    if partial:
        result['partial'] = True
    return result


def _wrap_optimizer(optimizer):
    cls = type(optimizer)
    _emit({'t': 'call', 'call': cls.__name__ + '.__init__', 'cls': _qualname(cls), 'depth': 0, 'in': {}, 'out': [_params_fingerprint(optimizer)]})
    step = cls.__dict__.get('step')
    if step is None or getattr(step, '__repro_probe__', False) or not callable(step):
        return

    def wrapped_step(self, *args, **kwargs):
        if getattr(_local, 'step', False):
            return step(self, *args, **kwargs)
        _local.step = True
        try:
            result = step(self, *args, **kwargs)
        finally:
            _local.step = False
        _safe('optimizer step', _record_step, self)
        return result

    wrapped_step.__repro_probe__ = True
    wrapped_step.__wrapped__ = step
    wrapped_step.__name__ = getattr(step, '__name__', 'step')
    wrapped_step.__doc__ = getattr(step, '__doc__', None)
    setattr(cls, 'step', wrapped_step)


def _record_step(optimizer):
    key = id(optimizer)
    n = _torch_steps.get(key, 0) + 1
    _torch_steps[key] = n
    if n == 1:
        torch = sys.modules.get('torch')
        if torch is not None:
            _torch_switches(torch)
        if not _threads_done:
            _threads()
    if n % EVERY == 0:
        _emit({'t': 'call', 'call': type(optimizer).__name__ + '.step', 'cls': _qualname(type(optimizer)), 'step': n, 'depth': 0, 'in': {}, 'out': [_params_fingerprint(optimizer)]})


def _record_save(obj):
    torch = sys.modules.get('torch')
    if torch is not None:
        _torch_switches(torch)
    _emit({'t': 'call', 'call': 'torch.save', 'depth': 0, 'in': {}, 'out': [fingerprint(obj)]})


def _torch_switches(torch):
    backends = getattr(torch, 'backends', None)
    cudnn = getattr(backends, 'cudnn', None)
    _emit({
        't': 'torch',
        'version': getattr(torch, '__version__', None),
        'deterministic_algorithms': bool(torch.are_deterministic_algorithms_enabled()),
        'cudnn_deterministic': bool(getattr(cudnn, 'deterministic', False)),
        'cudnn_benchmark': bool(getattr(cudnn, 'benchmark', False)),
        'num_threads': int(torch.get_num_threads()),
        'cuda': bool(torch.cuda.is_available()) if hasattr(torch, 'cuda') else False,
    })


_POOL_NAMES = (
    ('openblas', 'blas'), ('mkl_rt', 'blas'), ('mkl_core', 'blas'), ('blis', 'blas'), ('flexiblas', 'blas'),
    ('libblas', 'blas'), ('gomp', 'openmp'), ('iomp5', 'openmp'), ('libomp', 'openmp'), ('tbb', 'tbb'),
)


_ALTERNATIVES = ('libblas', 'libcblas', 'liblapack')


def _loaded_libraries():
    """The shared libraries the dynamic linker loaded, as it names them (dl_iterate_phdr), or None.

    Only with ctypes already imported (threadpoolctl imports it), as the probe imports nothing new.
    """
    ctypes = sys.modules.get('ctypes')
    if ctypes is None or not sys.platform.startswith('linux'):
        return None

    class Info(ctypes.Structure):
        # The leading fields of struct dl_phdr_info; the callback reads no further.
        _fields_ = [('dlpi_addr', ctypes.c_void_p), ('dlpi_name', ctypes.c_char_p)]

    names = []

    def found(info, size, data):
        name = info.contents.dlpi_name
        if name:
            names.append(name.decode('utf-8', 'replace'))
        return 0

    callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(Info), ctypes.c_size_t, ctypes.c_void_p)(found)
    ctypes.CDLL(None).dl_iterate_phdr(callback, None)
    return names


def _threadpoolctl_info(threadpoolctl):
    """threadpoolctl's own controllers, given only the loaded libraries whose names it knows.

    threadpool_info() resolves the path of every library the process loaded (hundreds under
    scikit-learn) to find the few it supports; the same controllers made from the libraries with
    those names report the same pools for a fraction of the cost. Versions whose internals
    differ get threadpool_info() itself.
    """
    controller_class = getattr(threadpoolctl, 'ThreadpoolController', None)
    make = getattr(controller_class, '_make_controller_from_path', None)
    prefixes = ()
    supported = getattr(threadpoolctl, '_SUPPORTED_LIBRARIES', None)
    if isinstance(supported, dict):
        prefixes = tuple(p for lib in supported.values() if isinstance(lib, dict) for p in lib.get('filename_prefixes', ()))
    for controller in getattr(threadpoolctl, '_ALL_CONTROLLERS', None) or ():
        prefixes += tuple(getattr(controller, 'filename_prefixes', ()))
    paths = _loaded_libraries() if make is not None and prefixes else None
    if make is None or not prefixes or paths is None:
        return threadpoolctl.threadpool_info()
    controller = controller_class.__new__(controller_class)
    controller.lib_controllers = []
    for path in paths:
        # libblas.so.3 and liblapack.so.3 may be Debian's alternatives for OpenBLAS or MKL: those
        # names are resolved to the real file too, as threadpool_info() would.
        if os.path.basename(path).lower().startswith(prefixes + _ALTERNATIVES):
            make(controller, path)
    return controller.info()


def _threads():
    """The BLAS/OpenMP pools the process loaded: threadpoolctl's view when the script's libraries imported it."""
    global _threads_done
    _threads_done = True
    pools = []
    threadpoolctl = sys.modules.get('threadpoolctl')
    if threadpoolctl is not None and hasattr(threadpoolctl, 'threadpool_info'):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            info = _threadpoolctl_info(threadpoolctl)
        for item in info:
            pools.append({
                'api': item.get('user_api'), 'lib': item.get('internal_api'), 'version': item.get('version'),
                'threads': item.get('num_threads'), 'path': os.path.basename(item.get('filepath') or ''), 'source': 'threadpoolctl',
            })
    else:
        seen = set()
        try:
            with open('/proc/self/maps') as maps:
                for line in maps:
                    path = line.rstrip('\n').split(' ')[-1]
                    base = os.path.basename(path)
                    if not base.startswith('lib') or '.so' not in base or base in seen:
                        continue
                    for needle, api in _POOL_NAMES:
                        if needle in base:
                            seen.add(base)
                            threads = None
                            for variable in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
                                if os.environ.get(variable, '').isdigit():
                                    threads = int(os.environ[variable])
                                    break
                            version = base.split('.so.', 1)[1] if '.so.' in base else None
                            pools.append({'api': api, 'lib': base.split('.so', 1)[0], 'version': version, 'threads': threads if threads is not None else os.cpu_count(), 'path': base, 'source': 'maps'})
                            break
        except OSError:
            pass
    _emit({'t': 'threads', 'pools': pools})


# ---------------------------------------------------------------- scikit-learn API estimators

def _param_text(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value if not isinstance(value, str) or len(value) <= 200 else value[:200] + '...'
    if isinstance(value, float):
        return value if value == value and value not in (float('inf'), float('-inf')) else repr(value)
    np = sys.modules.get('numpy')
    if np is not None and isinstance(value, np.ndarray):
        f = fingerprint(value)
        return 'ndarray %s %s sha256:%s' % (f.get('dtype'), tuple(f.get('shape', ())), f['sha256'][:16])
    if _is_estimator(value):
        return type(value).__name__ + '()'
    if isinstance(value, type) or callable(value) and hasattr(value, '__qualname__'):
        return _qualname(value)
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + '...'


def _same(a, b):
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        equal = a == b
    except Exception:
        return False
    return equal is True


def _record_estimator(estimator):
    cls = type(estimator)
    params = estimator.get_params(deep=False)
    texts = dict((k, _param_text(v)) for k, v in params.items())
    key = (_qualname(cls), _text_sha(repr(sorted(texts.items(), key=lambda p: p[0]))))
    if key in _estimators_seen:
        return
    _estimators_seen.add(key)
    import inspect
    defaults = {}
    try:
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            if parameter.default is not parameter.empty:
                defaults[name] = parameter.default
    except (TypeError, ValueError):
        pass
    at_default = sorted(k for k in params if k in defaults and _same(params[k], defaults[k]))
    _emit({
        't': 'estimator', 'cls': key[0], 'name': cls.__name__, 'params': texts, 'defaults': at_default,
        'default_values': dict((k, _param_text(v)) for k, v in defaults.items()),
    })


def _arguments(function, args, kwargs):
    code = getattr(function, '__code__', None)
    names = code.co_varnames[1:code.co_argcount] if code is not None else ()
    inputs = {}
    for i, value in enumerate(args):
        inputs[names[i] if i < len(names) else 'arg%d' % i] = fingerprint(value)
    for name in sorted(kwargs):
        inputs[name] = fingerprint(kwargs[name])
    return inputs


def _wrap_method(name, function):
    def wrapper(self, *args, **kwargs):
        depth = getattr(_local, 'depth', 0)
        current = getattr(_local, 'current', None)
        if depth >= MAX_DEPTH or getattr(_local, 'split', False) or current == (id(self), name):
            # A subclass's fit calling super().fit() is one call, not two.
            return function(self, *args, **kwargs)
        if depth == 0:
            _local.memo = {}
        try:
            inputs = _safe('inputs', _arguments, function, args, kwargs)
            _local.depth = depth + 1
            _local.current = (id(self), name)
            try:
                result = function(self, *args, **kwargs)
            finally:
                _local.depth = depth
                _local.current = current
            _safe('record ' + name, _record_call, self, name, inputs, result, depth)
        finally:
            if depth == 0:
                _local.memo = None
        return result

    try:
        import functools
        functools.update_wrapper(wrapper, function)
    except Exception:
        wrapper.__wrapped__ = function
    wrapper.__repro_probe__ = True
    return wrapper


def _record_call(estimator, name, inputs, result, depth):
    cls = type(estimator)
    event = {'t': 'call', 'call': cls.__name__ + '.' + name, 'cls': _qualname(cls), 'depth': depth, 'in': inputs or {}}
    if name in FIT_METHODS:
        # An estimator the script fitted is recorded whenever its params change; one fitted inside
        # another (a forest's trees, a search's candidates) once per class.
        if depth == 0 or cls not in _classes_seen:
            _classes_seen.add(cls)
            _record_estimator(estimator)
        state = _state(estimator)
        event['state'] = state
        memo = getattr(_local, 'memo', None)
        if depth > 0 and memo is not None:
            # The enclosing call's state holds this one (a forest's estimators_, a Pipeline's
            # steps): it reuses this hash rather than hashing every tree again.
            memo[('state', id(estimator))] = (estimator, state)
        if not _threads_done:
            _threads()
    if name not in ('fit', 'partial_fit'):
        event['out'] = [fingerprint(result)]
    random_state = getattr(estimator, 'random_state', False)
    if random_state is not False:
        event['random_state'] = _param_text(random_state)
    _emit(event)


def _wrap_class(cls):
    for name in METHODS:
        function = cls.__dict__.get(name)
        if type(function).__name__ != 'function' or getattr(function, '__repro_probe__', False):
            continue
        setattr(cls, name, _wrap_method(name, function))


def _on_sklearn_base(base):
    estimator = base.BaseEstimator
    if getattr(estimator, '__repro_probe__', False):
        return
    own = estimator.__dict__.get('__init_subclass__')

    def __init_subclass__(cls, **kwargs):
        if own is not None:
            own.__func__(cls, **kwargs)
        else:
            super(estimator, cls).__init_subclass__(**kwargs)
        _safe('estimator class', _wrap_class, cls)

    estimator.__init_subclass__ = classmethod(__init_subclass__)
    estimator.__repro_probe__ = True
    # The mixins (TransformerMixin.fit_transform, ClassifierMixin.score) are no estimators' subclasses.
    for value in list(vars(base).values()):
        if isinstance(value, type):
            _wrap_class(value)
    pending = list(estimator.__subclasses__())
    while pending:
        cls = pending.pop()
        _wrap_class(cls)
        pending.extend(cls.__subclasses__())


# ---------------------------------------------------------------- splits

def _on_split(split):
    original = getattr(split, 'train_test_split', None)
    if original is not None and not getattr(original, '__repro_probe__', False):
        def train_test_split(*arrays, **options):
            inputs = _safe('inputs', lambda: dict(('arg%d' % i, fingerprint(a)) for i, a in enumerate(arrays)))
            inside = getattr(_local, 'split', False)
            _local.split = True
            try:
                result = original(*arrays, **options)
            finally:
                _local.split = inside
            if inside:
                return result
            _safe('record train_test_split', _record_tts, inputs, options, result)
            return result

        import functools
        functools.update_wrapper(train_test_split, original)
        train_test_split.__repro_probe__ = True
        split.train_test_split = train_test_split
    import inspect
    for value in list(vars(split).values()):
        if not isinstance(value, type):
            continue
        function = value.__dict__.get('split')
        if function is None or getattr(function, '__repro_probe__', False) or not inspect.isgeneratorfunction(function):
            continue
        setattr(value, 'split', _wrap_split(function))


def _record_tts(inputs, options, result):
    event = {'t': 'call', 'call': 'train_test_split', 'depth': getattr(_local, 'depth', 0), 'in': inputs or {}, 'out': [fingerprint(part) for part in result]}
    event['random_state'] = _param_text(options.get('random_state'))
    event['shuffle'] = bool(options.get('shuffle', True))
    _emit(event)


def _wrap_split(function):
    def split(self, *args, **kwargs):
        if getattr(_local, 'split', False):
            for item in function(self, *args, **kwargs):
                yield item
            return
        inputs = _safe('inputs', _arguments, function, args, kwargs)
        inner = function(self, *args, **kwargs)
        fold = 0
        try:
            while True:
                _local.split = True
                try:
                    item = next(inner)
                except StopIteration:
                    return
                finally:
                    _local.split = False
                _safe('record split', _record_fold, self, fold, inputs, item)
                fold += 1
                yield item
        finally:
            inner.close()

    try:
        import functools
        functools.update_wrapper(split, function)
    except Exception:
        pass
    split.__repro_probe__ = True
    return split


def _record_fold(splitter, fold, inputs, item):
    event = {'t': 'call', 'call': type(splitter).__name__ + '.split', 'cls': _qualname(type(splitter)), 'fold': fold, 'depth': getattr(_local, 'depth', 0), 'in': inputs or {}, 'out': [fingerprint(part) for part in item]}
    if hasattr(splitter, 'random_state'):
        event['random_state'] = _param_text(splitter.random_state)
    if hasattr(splitter, 'shuffle'):
        event['shuffle'] = bool(splitter.shuffle)
    _emit(event)


# ---------------------------------------------------------------- explicit points (the repro module)

def checkpoint(name, values):
    _emit({'t': 'call', 'call': 'checkpoint:' + str(name)[:100], 'depth': 0, 'in': {}, 'out': [fingerprint(v) for v in values]})


def metric(key, value, step):
    _emit({'t': 'metric', 'key': str(key)[:200], 'step': step, 'out': [fingerprint(value)]})


def param(key, value):
    _emit({'t': 'param', 'key': str(key)[:200], 'value': _param_text(value)})


_HOOKS = {
    'random': _on_random,
    'numpy': _on_numpy,
    'torch': _on_torch,
    'sklearn.base': _on_sklearn_base,
    'sklearn.model_selection._split': _on_split,
}
