namespace Repro.Tests.Lint;

public sealed class DeterminismRuleTests
{
    [Fact]
    public Task DET001_fires_when_numpy_draws_without_a_seed() => LintHarness.TriggersAsync("DET001", """
        import numpy as np
        x = np.random.rand(3)
        """, 2);

    [Fact]
    public Task DET001_is_silent_when_numpy_is_seeded() => LintHarness.SilentAsync("DET001", """
        import numpy as np
        np.random.seed(0)
        x = np.random.rand(3)
        """);

    [Fact]
    public Task DET001_follows_from_imports_with_aliases() => LintHarness.TriggersAsync("DET001", """
        from numpy import random as npr
        x = npr.normal(size=3)
        """, 2);

    [Fact]
    public Task DET001_ignores_a_local_object_that_only_looks_like_random() => LintHarness.SilentAsync("DET001", """
        class Deck:
            def shuffle(self, cards):
                return cards
        random = Deck()
        random.shuffle([1, 2])
        """);

    [Fact]
    public Task DET001_never_fires_on_comments_or_strings() => LintHarness.SilentAsync("DET001", """
        import numpy as np
        # x = np.random.rand(3)
        doc = "np.random.rand(3) would need np.random.seed"
        """);

    [Fact]
    public Task DET001_fires_when_the_seed_comes_after_the_first_draw() => LintHarness.TriggersAsync("DET001", """
        import numpy as np
        noise = np.random.normal(size=3)
        np.random.seed(0)
        """, 2);

    [Fact]
    public Task DET001_is_silent_when_a_function_draws_and_the_seed_is_set_before_calling_it() => LintHarness.SilentAsync("DET001", """
        import numpy as np
        def noise():
            return np.random.normal(size=3)
        np.random.seed(0)
        print(noise())
        """);

    [Fact]
    public Task DET001_fires_for_torch_layers_without_manual_seed() => LintHarness.TriggersAsync("DET001", """
        import torch.nn as nn
        layer = nn.Linear(4, 2)
        """, 2);

    [Fact]
    public Task DET001_is_silent_for_torch_with_manual_seed() => LintHarness.SilentAsync("DET001", """
        import torch
        import torch.nn as nn
        torch.manual_seed(0)
        layer = nn.Linear(4, 2)
        """);

    [Fact]
    public Task DET001_fires_for_python_random_without_seed() => LintHarness.TriggersAsync("DET001", """
        import random
        items = [1, 2, 3]
        random.shuffle(items)
        """, 3);

    [Fact]
    public Task DET001_trusts_a_project_seed_helper() => LintHarness.SilentAsync("DET001", """
        import random
        from utils import seed_everything
        seed_everything(0)
        random.shuffle([1, 2])
        """);

    [Fact]
    public Task DET001_fires_for_an_unseeded_default_rng_even_with_a_global_seed() => LintHarness.TriggersAsync("DET001", """
        import numpy as np
        np.random.seed(0)
        rng = np.random.default_rng()
        """, 3);

    [Fact]
    public Task DET001_is_silent_for_a_seeded_default_rng() => LintHarness.SilentAsync("DET001", """
        import numpy as np
        rng = np.random.default_rng(42)
        x = rng.normal(size=3)
        """);

    [Fact]
    public Task DET002_fires_on_cudnn_benchmark_true() => LintHarness.TriggersAsync("DET002", """
        import torch
        torch.backends.cudnn.benchmark = True
        """, 2);

    [Fact]
    public Task DET002_is_silent_when_benchmark_only_appears_in_a_comment() => LintHarness.SilentAsync("DET002", """
        import torch
        # torch.backends.cudnn.benchmark = True
        torch.backends.cudnn.benchmark = False
        """);

    [Fact]
    public Task DET002_fires_when_cuda_is_used_without_cudnn_determinism() => LintHarness.TriggersAsync("DET002", """
        import torch
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        """, 2);

    [Fact]
    public Task DET002_fires_when_the_device_is_a_cuda_string() => LintHarness.TriggersAsync("DET002", """
        import torch
        device = "cuda" if torch.cuda.is_available() else "cpu"
        model = torch.nn.Linear(2, 2).to(device)
        """, 2);

    [Fact]
    public Task DET002_is_silent_when_cudnn_determinism_is_requested() => LintHarness.SilentAsync("DET002", """
        import torch
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        model = torch.nn.Linear(2, 2).cuda()
        """);

    [Fact]
    public Task DET003_fires_on_deterministic_algorithms_without_cublas_config() => LintHarness.TriggersAsync("DET003", """
        import torch
        torch.use_deterministic_algorithms(True)
        """, 2);

    [Fact]
    public Task DET003_is_silent_when_cublas_workspace_is_configured() => LintHarness.SilentAsync("DET003", """
        import os
        os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
        import torch
        torch.use_deterministic_algorithms(True)
        """);

    [Fact]
    public Task DET004_fires_on_shuffling_loader_without_generator() => LintHarness.TriggersAsync("DET004", """
        from torch.utils.data import DataLoader
        loader = DataLoader(dataset, batch_size=32, shuffle=True)
        """, 2);

    [Fact]
    public Task DET004_is_silent_with_generator_and_worker_init() => LintHarness.SilentAsync("DET004", """
        import torch
        from torch.utils.data import DataLoader
        g = torch.Generator()
        g.manual_seed(0)
        loader = DataLoader(dataset, shuffle=True, num_workers=4, generator=g, worker_init_fn=seed_worker)
        """);

    [Fact]
    public Task DET004_fires_on_workers_without_worker_init_fn() => LintHarness.TriggersAsync("DET004", """
        import torch.utils.data as tud
        loader = tud.DataLoader(dataset, num_workers=2)
        """, 2);

    [Fact]
    public Task DET005_fires_when_the_script_sets_pythonhashseed() => LintHarness.TriggersAsync("DET005", """
        import os
        os.environ["PYTHONHASHSEED"] = "0"
        """, 2);

    [Fact]
    public Task DET005_is_silent_when_the_script_only_reads_it() => LintHarness.SilentAsync("DET005", """
        import os
        seed = os.environ.get("PYTHONHASHSEED", "0")
        """);

    [Fact]
    public Task DET006_fires_on_an_aliased_estimator_without_random_state() => LintHarness.TriggersAsync("DET006", """
        from sklearn.ensemble import RandomForestClassifier as RF
        model = RF(n_estimators=100)
        """, 2);

    [Fact]
    public Task DET006_is_silent_for_a_seeded_estimator() => LintHarness.SilentAsync("DET006", """
        from sklearn.ensemble import RandomForestClassifier as RF
        model = RF(n_estimators=100, random_state=0)
        """);

    [Fact]
    public Task DET006_fires_on_an_aliased_train_test_split() => LintHarness.TriggersAsync("DET006", """
        from sklearn.model_selection import train_test_split as tts
        a, b = tts([1, 2, 3, 4])
        """, 2);

    [Fact]
    public async Task DET006_fires_on_shuffled_kfold_but_not_on_plain_kfold()
    {
        await LintHarness.TriggersAsync("DET006", """
            import sklearn.model_selection as ms
            cv = ms.KFold(n_splits=5, shuffle=True)
            """, 2);
        await LintHarness.SilentAsync("DET006", """
            import sklearn.model_selection as ms
            cv = ms.KFold(n_splits=5)
            """);
    }

    [Fact]
    public Task DET006_is_silent_for_pipelines_and_deterministic_estimators() => LintHarness.SilentAsync("DET006", """
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        model = make_pipeline(StandardScaler(), LogisticRegression())
        """);

    [Fact]
    public Task DET006_fires_on_a_generated_dataset_without_random_state() => LintHarness.TriggersAsync("DET006", """
        from sklearn.datasets import make_classification
        X, y = make_classification(n_samples=100)
        """, 2);

    [Fact]
    public async Task DET006_fires_on_randomized_pca_only()
    {
        await LintHarness.TriggersAsync("DET006", """
            from sklearn.decomposition import PCA
            p = PCA(n_components=2, svd_solver="randomized")
            """, 2);
        await LintHarness.SilentAsync("DET006", """
            from sklearn.decomposition import PCA
            p = PCA(n_components=2)
            """);
    }

    [Fact]
    public Task DET007_fires_on_a_seed_from_the_clock_through_a_variable() => LintHarness.TriggersAsync("DET007", """
        import time
        import numpy as np
        seed = int(time.time())
        np.random.seed(seed)
        """, 4);

    [Fact]
    public Task DET007_is_silent_for_a_fixed_seed() => LintHarness.SilentAsync("DET007", """
        import time
        import numpy as np
        start = time.time()
        np.random.seed(42)
        """);

    [Fact]
    public Task DET007_fires_on_random_state_from_uuid() => LintHarness.TriggersAsync("DET007", """
        import uuid
        from sklearn.ensemble import ExtraTreesClassifier
        m = ExtraTreesClassifier(random_state=uuid.uuid4().int % 1000)
        """, 3);

    [Fact]
    public Task DET008_fires_when_a_listing_is_iterated_unsorted() => LintHarness.TriggersAsync("DET008", """
        import os
        for name in os.listdir("data"):
            print(name)
        """, 2);

    [Fact]
    public Task DET008_is_silent_when_the_listing_is_sorted() => LintHarness.SilentAsync("DET008", """
        import os
        from glob import glob
        for name in sorted(os.listdir("data")):
            print(name)
        files = glob("*.csv")
        files.sort()
        count = len(os.listdir("data"))
        """);

    [Fact]
    public Task DET009_fires_on_index_add_on_cuda_without_deterministic_mode() => LintHarness.TriggersAsync("DET009", """
        import torch
        torch.backends.cudnn.deterministic = True
        x = torch.zeros(10, device="cuda")
        x.index_add_(0, index, source)
        """, 4);

    [Fact]
    public Task DET009_is_silent_with_deterministic_algorithms() => LintHarness.SilentAsync("DET009", """
        import torch
        torch.use_deterministic_algorithms(True)
        x = torch.zeros(10, device="cuda")
        x.index_add_(0, index, source)
        """);

    [Fact]
    public async Task DET009_fires_on_bilinear_interpolate_but_not_nearest()
    {
        await LintHarness.TriggersAsync("DET009", """
            import torch
            import torch.nn.functional as F
            x = x.cuda()
            y = F.interpolate(x, scale_factor=2, mode="bilinear")
            """, 4);
        await LintHarness.SilentAsync("DET009", """
            import torch
            import torch.nn.functional as F
            x = x.cuda()
            y = F.interpolate(x, scale_factor=2, mode="nearest")
            """);
    }

    [Fact]
    public Task DET010_fires_on_tensorflow_without_seed_and_op_determinism() => LintHarness.TriggersAsync("DET010", """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        """, 2);

    [Fact]
    public Task DET010_is_silent_with_seed_and_op_determinism() => LintHarness.SilentAsync("DET010", """
        import tensorflow as tf
        tf.keras.utils.set_random_seed(1)
        tf.config.experimental.enable_op_determinism()
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        """);

    [Fact]
    public Task DET011_fires_on_xgboost_without_seed() => LintHarness.TriggersAsync("DET011", """
        import xgboost as xgb
        model = xgb.XGBClassifier(n_estimators=10)
        """, 2);

    [Fact]
    public Task DET011_is_silent_for_seeded_xgboost_and_deterministic_lightgbm() => LintHarness.SilentAsync("DET011", """
        import xgboost as xgb
        from lightgbm import LGBMRegressor
        a = xgb.XGBClassifier(random_state=0)
        b = LGBMRegressor(random_state=0, deterministic=True, force_row_wise=True)
        """);

    [Fact]
    public Task DET011_fires_on_lightgbm_seeded_but_not_deterministic() => LintHarness.TriggersAsync("DET011", """
        import lightgbm as lgb
        params = {"objective": "binary", "seed": 1}
        booster = lgb.train(params, train_set)
        """, 3);
}
