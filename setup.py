"""The one compiled part of nianbao: C walks over lxml's tree for the HTML extractor.

Everything else is in pyproject.toml. The extension is optional: where it cannot be built (no C
compiler), ``parsers.html`` uses its Python walks, which give the same results more slowly.
"""

from setuptools import Extension, setup

try:
    import lxml
    from Cython.Build import cythonize
except ImportError:  # building without the build requirements (not through pip): pure Python
    extensions = []
else:
    extensions = cythonize(
        [Extension("parsers.html_walks", ["parsers/html_walks.pyx"], include_dirs=lxml.get_include(), optional=True)],
        compiler_directives={"language_level": "3"},
        quiet=True,
    )

setup(ext_modules=extensions)
