# JupyterLab in Chinese, as `make lab-zh` starts it: the Makefile puts this folder before lab/ on
# JUPYTER_CONFIG_PATH, so lab/jupyter_lab_config.py still applies and only the settings folder changes.
# settings/overrides.json is lab/settings/overrides.json plus the display language (zh_CN, from the
# jupyterlab-language-pack-zh-CN package); tests/test_translation.py checks that the two agree.
from pathlib import Path

c = get_config()  # noqa: F821 (defined by Jupyter's config loader)

c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "settings")
