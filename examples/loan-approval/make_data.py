"""Generate a synthetic loan-approval data set: data/train.csv and data/test.csv.

Same seed and row count, same bytes: the rows come from a seeded numpy generator and every
number is rounded before it is written.
"""
import argparse
from pathlib import Path

import numpy as np
import pandas as pd


def make_loans(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(21, 71, size=rows)
    employment_years = np.minimum(age - 18, rng.gamma(2.0, 3.0, size=rows)).round(1)
    credit_history_years = np.minimum(age - 18, rng.gamma(3.0, 3.0, size=rows)).round(1)
    income = (rng.lognormal(mean=10.9, sigma=0.45, size=rows) / 100).round().astype(int) * 100
    loan_amount = (income * rng.uniform(0.05, 0.9, size=rows) / 100).round().astype(int) * 100
    debt_to_income = (rng.beta(2.0, 5.0, size=rows) * 0.8).round(3)

    # A noisy logistic rule: steady income, long credit history and low debt get approved.
    logit = (
        1.2 * (np.log(income) - 10.9) / 0.45
        - 1.5 * (loan_amount / income - 0.45) / 0.25
        - 2.0 * (debt_to_income - 0.23) / 0.13
        + 0.6 * (credit_history_years - 8.0) / 5.0
        + 0.4 * (employment_years - 5.5) / 4.0
        + 0.3
        + rng.normal(0.0, 1.0, size=rows)
    )
    approved = (rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))).astype(int)

    return pd.DataFrame({
        "income": income,
        "loan_amount": loan_amount,
        "credit_history_years": credit_history_years,
        "debt_to_income": debt_to_income,
        "employment_years": employment_years,
        "age": age,
        "approved": approved,
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", default="data/train.csv")
    parser.add_argument("--test", default="data/test.csv")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--test-fraction", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    loans = make_loans(args.rows, args.seed)
    n_test = int(round(args.rows * args.test_fraction))
    splits = {args.train: loans.iloc[n_test:], args.test: loans.iloc[:n_test]}
    for path, frame in splits.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, lineterminator="\n")
        print(f"wrote {path}: {len(frame)} rows, {frame['approved'].mean():.1%} approved")


if __name__ == "__main__":
    main()
