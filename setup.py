"""The compiled parts of nianbao: C walks over lxml's tree for the HTML extractor
(``parsers/html_walks.pyx``) and the character scans of the folding (``parsers/text_scans.pyx``).

Everything else is in pyproject.toml. The extensions are optional: where they cannot be built (no
C compiler), ``parsers.html`` and ``parsers.folding`` use their Python code, which gives the same
results more slowly.
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Each extension is only faster: one that fails to build is left out, with a warning.

    (``Extension(optional=True)`` does not cover a compiler that fails to run.)"""

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001 - any failure to build leaves the Python code in use
            self.warn(f"{ext.name} not built ({exc}); its Python code runs instead")


try:
    import lxml
    from Cython.Build import cythonize
except ImportError:  # building without the build requirements (not through pip): pure Python
    extensions = []
else:
    extensions = cythonize(
        [
            Extension("parsers.html_walks", ["parsers/html_walks.pyx"], include_dirs=lxml.get_include(), optional=True),
            Extension("parsers.text_scans", ["parsers/text_scans.pyx"], optional=True),
        ],
        quiet=True,
    )

setup(ext_modules=extensions, cmdclass={"build_ext": OptionalBuildExt})
