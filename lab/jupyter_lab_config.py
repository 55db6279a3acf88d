# JupyterLab as `make lab` starts it for the course (and tests/test_lab.py, the same way): the Makefile
# puts this folder on JUPYTER_CONFIG_PATH, so your own ~/.jupyter settings still take precedence.
# A workshop room needs no news pop-up, and nothing may leave the machine.
from pathlib import Path

c = get_config()  # noqa: F821 (defined by Jupyter's config loader)

# settings/overrides.json: the course's defaults for JupyterLab's settings (no news, no update check,
# no extension manager); a learner can still change them in Settings, as with any default.
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "settings")
# The server side of the same: no announcements feed, no update check, no PyPI-backed extension manager.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
# The grading tools of the `grading` extra (nbgrader, Otter's jupytext) bring JupyterLab extensions of
# their own; a learner's JupyterLab needs none of them (a lecturer grades with `lstm-params grading`).
# labconfig/page_config.json switches their front ends off, this their server side.
c.ServerApp.jpserver_extensions = {"nbgrader.server_extensions.formgrader": False,
                                   "nbgrader.server_extensions.assignment_list": False,
                                   "nbgrader.server_extensions.course_list": False,
                                   "nbgrader.server_extensions.validate_assignment": False,
                                   "jupyterlab_jupytext": False}
