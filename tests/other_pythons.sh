#!/usr/bin/env bash
# make other-pythons: the package on Python 3.12 and 3.13 with NumPy only (no framework, no matplotlib),
# running every test and doctest that needs nothing more; tests/framework_free.py (a pytest plugin, LSTM_FRAMEWORK_FREE=1) leaves
# out the files whose imports are missing and skips, by name, the tests that need a missing module.
# 3.12 runs the oldest NumPy the package accepts (numpy>=2.0 in pyproject.toml), 3.13 the course's.
set -uo pipefail
cd "$(dirname "$0")/.."
PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"
status=0
for spec in "3.12 numpy==2.0.2" "3.13 -c constraints.txt numpy"; do
    version=${spec%% *}; numpy=${spec#* }
    python=$(command -v "python$version" 2>/dev/null)
    if [ -z "$python" ] || ! "$python" -c pass 2>/dev/null; then
        python=$(ls "$PYENV_ROOT"/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V | tail -1)
    fi
    if [ -z "$python" ]; then
        echo "other-pythons: SKIPPED Python $version: no python$version on PATH or under $PYENV_ROOT/versions"
        continue
    fi
    venv=".venv-$version"
    echo "other-pythons: $("$python" --version) in $venv, with $numpy"
    if [ ! -f "$venv/.installed" ] || [ pyproject.toml -nt "$venv/.installed" ] \
        || [ constraints.txt -nt "$venv/.installed" ] || [ "$0" -nt "$venv/.installed" ]; then
        rm -rf "$venv" && "$python" -m venv "$venv" &&
        "$venv/bin/python" -m pip install -q --disable-pip-version-check $numpy &&
        "$venv/bin/python" -m pip install -q --disable-pip-version-check -c constraints.txt \
            pytest pytest-xdist hypothesis packaging &&
        "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e . &&
        touch "$venv/.installed" || { echo "other-pythons: install failed on $version"; status=1; continue; }
    fi
    LSTM_FRAMEWORK_FREE=1 PYTHONPATH=tests "$venv/bin/python" -m pytest -q -p no:cacheprovider \
        -p framework_free --doctest-modules \
        tests lstm_utils -W "ignore::pytest.PytestAssertRewriteWarning" || status=1
done
exit $status
