package io.tensorforge.store;

import io.tensorforge.store.memory.MemoryBudgetStore;
import org.junit.jupiter.api.BeforeEach;

class MemoryBudgetStoreTest extends BudgetStoreContract {

  private MemoryBudgetStore store;

  @BeforeEach
  void build() {
    store = new MemoryBudgetStore();
  }

  @Override
  protected BudgetStore store() {
    return store;
  }
}
