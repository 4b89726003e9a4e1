"""One module per report family the demo writes; `tradewind.demo.build.FAMILIES` lists them in import order."""
