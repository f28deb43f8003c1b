"""Train a random forest on the loan data; write the model, metrics.json and a step log."""
import argparse
import json
import os
import pickle

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

LABEL = "approved"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", default="data/train.csv")
    parser.add_argument("--test", default="data/test.csv")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("REPRO_SEED", "0")))
    parser.add_argument("--n-estimators", type=int, default=200)
    parser.add_argument("--out", default="model.pkl")
    parser.add_argument("--metrics", default="metrics.json")
    args = parser.parse_args()

    train, test = pd.read_csv(args.train), pd.read_csv(args.test)
    x_train, y_train = train.drop(columns=LABEL), train[LABEL]
    x_test, y_test = test.drop(columns=LABEL), test[LABEL]

    model = RandomForestClassifier(n_estimators=args.n_estimators, min_samples_leaf=2, random_state=args.seed)
    model.fit(x_train, y_train)
    proba = model.predict_proba(x_test)[:, 1]
    predicted = (proba >= 0.5).astype(int)
    metrics = {
        "accuracy": float(accuracy_score(y_test, predicted)),
        "roc_auc": float(roc_auc_score(y_test, proba)),
        "f1": float(f1_score(y_test, predicted)),
    }

    with open(args.out, "wb") as f:
        pickle.dump(model, f)
    with open(args.metrics, "w") as f:
        json.dump(metrics, f, indent=2, sort_keys=True)
        f.write("\n")

    # Step metrics: test accuracy of the forest made of its first k trees.
    step_log = os.environ.get("REPRO_METRICS_FILE")
    if step_log:
        per_tree = np.stack([tree.predict_proba(x_test.to_numpy(dtype=np.float32))[:, 1] for tree in model.estimators_])
        mean_proba = np.cumsum(per_tree, axis=0) / np.arange(1, len(per_tree) + 1)[:, None]
        with open(step_log, "a") as f:
            for k in range(10, args.n_estimators + 1, 10):
                acc = float(accuracy_score(y_test, (mean_proba[k - 1] >= 0.5).astype(int)))
                f.write(json.dumps({"key": "acc_by_trees", "value": acc, "step": k}) + "\n")

    print(" ".join(f"{key}={value:.4f}" for key, value in metrics.items()))


if __name__ == "__main__":
    main()
